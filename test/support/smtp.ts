// A real SMTP server for tests (the smtp-server package on a TCP port): it offers STARTTLS with
// its built-in certificate, checks a user name and password, and keeps every message it accepts.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import smtpServer from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body). */
  raw: string;
  subject: string;
  /** The body, quoted-printable decoded (the tests' messages are single-part text). */
  text: string;
  /** Whether the session was encrypted (STARTTLS) when the message was sent. */
  secure: boolean;
}

export interface TestSmtpServer {
  /** An SMTP_URL with the right credentials; the test certificate is self-signed, so it is trusted explicitly. */
  url: string;
  /** The same server with a wrong password. */
  wrongPasswordUrl: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export const SMTP_USER = 'alerts';
export const SMTP_PASSWORD = 'smtp-pass-Zq9';

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const server = new smtpServer.SMTPServer({
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        // Subjects may be folded over lines or MIME-encoded; the tests use plain ASCII titles.
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((entry) => entry.address),
          raw,
          subject,
          text: decodeQuotedPrintable(raw.slice(raw.indexOf('\r\n\r\n') + 4)),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  const base = (password: string) => `smtp://${SMTP_USER}:${password}@127.0.0.1:${port}/?tls.rejectUnauthorized=false`;
  return {
    url: base(SMTP_PASSWORD),
    wrongPasswordUrl: base('wrong-password'),
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
}
