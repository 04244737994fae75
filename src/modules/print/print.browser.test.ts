import { expect, it } from 'vitest';
import { describeInBrowser, openMenu, stepShot, useServerAndSessions, withFailureScreenshots } from '../../test/browser.ts';
import { ApiClient } from '../../test/harness.ts';
import { sampleStories } from '../../test/print-sample.ts';
import { publishStory } from '../../test/print-stories.ts';

/**
 * 版面 in Chromium: an editor ticks two published stories (the first becomes the lead), lays the page
 * out as 四开, sees it in the page list with the PDF preview, and the PDF it downloads is the page.
 */
describeInBrowser(
  'print pages in a browser',
  () => {
    const suite = useServerAndSessions();
    const { session, pages } = suite;

    it('choose stories, lay out, preview and download the PDF', { timeout: 300_000 }, async () => {
      const server = suite.server;
      const api = async (username: string) => {
        const c = new ApiClient(server.url);
        await c.login(username);
        return c;
      };
      const [reporter, editor, chief, leader] = await Promise.all(['jinjiang_reporter', 'jinjiang_editor', 'jinjiang_chief', 'jinjiang_admin'].map(api));
      await publishStory(server, { reporter: reporter!, editor: editor!, chief: chief!, leader: leader! }, 1, { picture: true });
      await publishStory(server, { reporter: reporter!, editor: editor!, chief: chief!, leader: leader! }, 2);
      const [metro, culture] = [sampleStories()[1]!.title, sampleStories()[2]!.title];
      try {
        const page = await session('jinjiang_editor');
        await openMenu(page, '版面');
        await page.getByRole('checkbox', { name: metro }).check();
        await page.getByRole('checkbox', { name: culture }).check();
        await page.getByText('四开（5 栏）').click();
        await page.getByRole('button', { name: /自动组版/ }).click();
        await page.getByText(/已组版：\d+ 版/).waitFor();
        const preview = page.getByLabel('版面预览');
        await preview.waitFor();
        const data = await preview.getAttribute('data');
        expect(data).toMatch(/^\/api\/print\/pages\/[0-9a-f-]{36}\/pdf/);
        await stepShot(page, 'print-page');
        const pdf = await page.request.get(server.url + data!.split('#')[0]! + '?download=true');
        expect(pdf.status()).toBe(200);
        expect(pdf.headers()['content-disposition']).toContain('attachment');
        const body = await pdf.body();
        expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSerifSC-Black/);
        // The page list shows the new page: 四开, two stories.
        await expect.poll(async () => (await page.getByRole('row', { name: /要闻/ }).allTextContents()).join(' ')).toMatch(/四开.*2/);
      } catch (err) {
        throw await withFailureScreenshots(err, 'print', pages);
      }
    });
  },
);
