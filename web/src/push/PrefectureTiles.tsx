import { Tooltip } from 'antd';

/**
 * 四川 21 个市州 as a tile cartogram: no map geometry ships in the repo or in our npm dependencies (echarts
 * 5+ dropped its bundled China/province maps), so each prefecture is one tile placed roughly where it lies
 * (west: 甘孜, 阿坝; north: 广元, 巴中; south: 凉山, 攀枝花), shaded by its count.
 */
const TILES: { code: string; name: string; row: number; col: number }[] = [
  { code: '513200', name: '阿坝', row: 0, col: 1 },
  { code: '510700', name: '绵阳', row: 0, col: 2 },
  { code: '510800', name: '广元', row: 0, col: 3 },
  { code: '511900', name: '巴中', row: 0, col: 4 },
  { code: '513300', name: '甘孜', row: 1, col: 0 },
  { code: '510600', name: '德阳', row: 1, col: 2 },
  { code: '511300', name: '南充', row: 1, col: 3 },
  { code: '511700', name: '达州', row: 1, col: 4 },
  { code: '511800', name: '雅安', row: 2, col: 1 },
  { code: '510100', name: '成都', row: 2, col: 2 },
  { code: '510900', name: '遂宁', row: 2, col: 3 },
  { code: '511600', name: '广安', row: 2, col: 4 },
  { code: '511100', name: '乐山', row: 3, col: 1 },
  { code: '511400', name: '眉山', row: 3, col: 2 },
  { code: '512000', name: '资阳', row: 3, col: 3 },
  { code: '511000', name: '内江', row: 3, col: 4 },
  { code: '513400', name: '凉山', row: 4, col: 1 },
  { code: '511500', name: '宜宾', row: 4, col: 2 },
  { code: '510300', name: '自贡', row: 4, col: 3 },
  { code: '510500', name: '泸州', row: 4, col: 4 },
  { code: '510400', name: '攀枝花', row: 5, col: 1 },
];

export function PrefectureTiles({ counts, label }: { counts: Map<string, number>; label: string }) {
  const max = Math.max(1, ...counts.values());
  return (
    <div role="img" aria-label={label} style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 72px)', gridAutoRows: '56px', gap: 4 }}>
      {TILES.map((tile) => {
        const n = counts.get(tile.code) ?? 0;
        const alpha = n ? 0.15 + 0.85 * (n / max) : 0.04;
        return (
          <Tooltip key={tile.code} title={`${tile.name}：${n}`}>
            <div
              data-code={tile.code}
              style={{
                gridRow: tile.row + 1,
                gridColumn: tile.col + 1,
                background: `rgba(22, 119, 255, ${alpha})`,
                color: alpha > 0.55 ? '#fff' : '#1f1f1f',
                borderRadius: 6,
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'center',
                justifyContent: 'center',
                fontSize: 13,
              }}
            >
              <span>{tile.name}</span>
              <strong>{n}</strong>
            </div>
          </Tooltip>
        );
      })}
    </div>
  );
}
