// 报纸版面: the time to lay out and render one page of six stories (three with pictures) to PDF, with
// the Noto Serif SC faces embedded as subsets. Measured in the same run:
//  - cold: the first page of the process (fonts read and parsed, code compiled) — what the first
//    editor of the day waits for; goal under 2 s;
//  - warm p95 against a naive renderer of the same layout that draws every character on its own;
//  - warm p50 against a plain pdfkit text dump of the same stories (pdfkit's own wrapping into columns,
//    no 禁则, no grid, no layout): what real typesetting costs over dumping text.
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import { type Benchmark, type Figure, timeInterleaved } from './harness.ts';
import { pageSpecs } from '../src/modules/print/layout/page-spec.ts';
import { composePdf } from '../src/modules/print/render/pdf.ts';
import { samplePictures, sampleStories } from '../src/test/print-sample.ts';
import { fontBytes } from '../src/modules/print/typeset/fonts.ts';

const header = { pageName: '要闻', dateLine: '2026年11月27日　星期五', unitName: '锦江融媒' };

async function plainDump(images: Map<string, Buffer>): Promise<number> {
  const spec = pageSpecs.broadsheet;
  const doc = new PDFDocument({ size: [spec.width, spec.height], margin: 40 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  doc.registerFont('body', fontBytes('body'));
  doc.registerFont('heavy', fontBytes('heavy'));
  for (const s of sampleStories()) {
    doc.font('heavy').fontSize(20).text(s.title);
    if (s.image) doc.image(images.get(s.image.assetId)!, { width: 300 });
    doc.font('body').fontSize(9).text(s.paragraphs.map((p) => p.text).join('\n'), { columns: 4, columnGap: 13.5, height: 300 });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks).length;
}

const bench: Benchmark = {
  name: 'print',
  description: 'PDF page of 6 stories with pictures (broadsheet, embedded CJK subsets) vs per-character drawing and a plain pdfkit text dump',
  async run({ args, progress }) {
    const iterations = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
    const images = await samplePictures();
    const page = (perBox: boolean) => composePdf({ spec: pageSpecs.broadsheet, header, stories: sampleStories(), images, title: 'bench', perBox });

    const t0 = performance.now();
    const first = await page(false);
    const coldMs = performance.now() - t0;
    progress(`cold page: ${coldMs.toFixed(0)} ms, ${(first.pdf.length / 1024).toFixed(0)} KB, ${first.layout.pages.length} page(s)`);
    const naive = await page(true);
    const dumpBytes = await plainDump(images);
    progress(`sizes: ours ${(first.pdf.length / 1024).toFixed(0)} KB, per-character ${(naive.pdf.length / 1024).toFixed(0)} KB, plain dump ${(dumpBytes / 1024).toFixed(0)} KB`);

    const [ours, perChar, dump] = await timeInterleaved({ iterations, warmup: 2, rounds: 3, progress }, [
      { label: 'layout+render (runs)', op: async () => void (await page(false)) },
      { label: 'per-character drawing', op: async () => void (await page(true)) },
      { label: 'plain pdfkit dump', op: async () => void (await plainDump(images)) },
    ]);
    progress(`warm p50/p95: ours ${ours!.p50.toFixed(0)}/${ours!.p95.toFixed(0)} ms, per-character ${perChar!.p50.toFixed(0)}/${perChar!.p95.toFixed(0)} ms, plain dump ${dump!.p50.toFixed(0)}/${dump!.p95.toFixed(0)} ms`);
    const figures: Figure[] = [
      { metric: 'cold_ms', value: Math.round(coldMs), baseline: 2000, ratio: 'value/baseline', maxRatio: 1, goal: 'first page of the process (fonts read and parsed) under 2000 ms' },
      { metric: 'p50_ms_vs_per_char', value: Math.round(ours!.p50), baseline: Math.round(perChar!.p50), ratio: 'value/baseline', maxRatio: 1, goal: `no slower than drawing each character alone (warm p95 ours ${ours!.p95.toFixed(0)} ms, budget 2000 ms; ${(first.pdf.length / 1024).toFixed(0)} KB vs ${(naive.pdf.length / 1024).toFixed(0)} KB)` },
      { metric: 'p50_ms_vs_dump', value: Math.round(ours!.p50), baseline: Math.round(dump!.p50), ratio: 'value/baseline', maxRatio: 4, goal: 'real typesetting (禁则, grid, balanced columns, layout) within 4x of a plain pdfkit text dump' },
    ];
    return figures;
  },
};

export default bench;
