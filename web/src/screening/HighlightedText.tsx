import { Tooltip } from 'antd';
import { Fragment } from 'react';
import { pick } from '../content.ts';
import { useI18n } from '../i18n.ts';
import { severityLabels } from '../newsroom/model.ts';
import { segmentText, severityHighlight, type Finding } from './model.ts';

/**
 * A plain text with findings highlighted over it, coloured by the strongest severity covering each
 * piece. The text is split at finding offsets and rendered as React text nodes (never as HTML).
 */
export function HighlightedText({ text, findings, active, onPick }: { text: string; findings: Finding[]; active?: Finding | null; onPick?(f: Finding): void }) {
  const i18n = useI18n();
  const segments = segmentText(text, findings);
  return (
    <div data-testid="highlighted-text" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.9, fontSize: 15, wordBreak: 'break-word' }}>
      {segments.map((s) => {
        if (s.findings.length === 0) return <Fragment key={s.start}>{s.text}</Fragment>;
        const top = s.findings[0];
        const colour = severityHighlight[top.severity];
        const isActive = active ? s.findings.includes(active) : false;
        return (
          <Tooltip
            key={s.start}
            title={s.findings.map((f, i) => (
              <div key={i}>
                [{pick(i18n, severityLabels[f.severity])}] {f.message}
                {f.suggestion ? ` → ${f.suggestion}` : ''}
              </div>
            ))}
          >
            <mark
              data-testid="highlight"
              data-severity={top.severity}
              onClick={onPick ? () => onPick(top) : undefined}
              style={{
                background: colour.background,
                borderBottom: `2px solid ${colour.border}`,
                outline: isActive ? `2px solid ${colour.border}` : undefined,
                padding: '0 1px',
                cursor: onPick ? 'pointer' : 'help',
                color: 'inherit',
              }}
            >
              {s.text}
            </mark>
          </Tooltip>
        );
      })}
    </div>
  );
}
