import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSmtpUrl, SmtpEmailProvider } from './smtp-email.ts';

/**
 * A local SMTP server speaking just enough of RFC 5321 (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) to
 * receive one message and record the conversation.
 */
interface Received {
  commands: string[];
  data: string;
}
let server: net.Server;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = net.createServer((socket) => {
    const session: Received = { commands: [], data: '' };
    received.push(session);
    let inData = false;
    let buffer = '';
    socket.write('220 fake.smtp ESMTP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 queued as FAKE1\r\n');
          } else session.data += `${line}\n`;
          continue;
        }
        session.commands.push(line);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') socket.write('250-fake.smtp\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') socket.write(line.includes(Buffer.from('\0mailer\0right-pass').toString('base64')) ? '235 2.7.0 ok\r\n' : '535 5.7.8 bad credentials\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const url = (pass: string) => `smtp://mailer:${pass}@127.0.0.1:${port}/?from=${encodeURIComponent('天府融媒 <noreply@tianfu.example>')}`;

describe('SMTP email codes', () => {
  it('sends the code to the reader, authenticated, from the configured sender', async () => {
    const provider = new SmtpEmailProvider(parseSmtpUrl(url('right-pass'))!);
    await provider.sendCode({ channel: 'email', to: 'reader@example.com', code: '381920', ttlMinutes: 5 });
    provider.close();
    const session = received.at(-1)!;
    expect(session.commands.some((c) => c.startsWith('AUTH PLAIN'))).toBe(true);
    expect(session.commands).toContain('MAIL FROM:<noreply@tianfu.example>');
    expect(session.commands).toContain('RCPT TO:<reader@example.com>');
    expect(session.data).toMatch(/^To: reader@example\.com$/m);
    // Subject and body are encoded (they are Chinese): decode the body part and read the code there.
    const [, body = ''] = session.data.split(/\n\n/);
    const text = /Content-Transfer-Encoding: base64/i.test(session.data) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
    expect(text).toContain('您的验证码是 381920');
  });

  it('fails loudly on refused credentials, and reads its settings from one URL', async () => {
    const provider = new SmtpEmailProvider(parseSmtpUrl(url('wrong-pass'))!);
    await expect(provider.sendCode({ channel: 'email', to: 'reader@example.com', code: '1', ttlMinutes: 5 })).rejects.toThrow(/535|credentials|auth/i);
    provider.close();
    expect(parseSmtpUrl('')).toBeNull();
    expect(() => parseSmtpUrl('smtp://smtp.example.com:587/')).toThrow(/from=/);
    expect(() => parseSmtpUrl('http://x/?from=a@b.c')).toThrow(/smtp/);
    expect(parseSmtpUrl('smtps://u:p@smtp.example.com/?from=a@b.c')).toEqual({ url: 'smtps://u:p@smtp.example.com/', from: 'a@b.c' });
  });
});
