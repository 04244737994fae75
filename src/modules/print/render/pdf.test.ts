import { describe, expect, it } from 'vitest';
import { pageSpecs } from '../layout/page-spec.ts';
import { samplePictures, sampleStories } from '../../../test/print-sample.ts';
import { composePdf } from './pdf.ts';

describe('PDF rendering', () => {
  it('writes a valid PDF with three embedded Noto Serif SC subsets and the pictures', async () => {
    const images = await samplePictures();
    const header = { pageName: '要闻', dateLine: '2026年11月27日', unitName: '锦江融媒' };
    const { pdf } = await composePdf({ spec: pageSpecs.broadsheet, header, stories: sampleStories(), images, title: '要闻' });
    const { pdf: tabloid, layout } = await composePdf({ spec: pageSpecs.tabloid, header, stories: sampleStories(), images, title: '要闻' });
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    const subsets = new Set(raw.match(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-(Regular|Bold|Black)/g));
    expect([...subsets].map((s) => s.split('+')[1]).sort()).toEqual(['NotoSerifSC-Black', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
    // Each face's file is embedded (TrueType → FontFile2), as a subset far below the 15 MB face.
    expect((raw.match(/\/FontFile2/g) ?? []).length).toBe(3);
    expect(pdf.length).toBeLessThan(1_500_000);
    expect((raw.match(/\/Subtype \/Image/g) ?? []).length).toBe(3);
    // Every page of the layout is a page of the PDF (the tabloid jumps stories to page 2).
    expect((raw.match(/\/Type \/Page\b/g) ?? []).length).toBe(1);
    expect((tabloid.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBe(layout.pages.length);
    expect(layout.pages.length).toBeGreaterThanOrEqual(2);
  });
});
