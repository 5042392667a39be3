/**
 * Outgoing mail through nodemailer. In development each message is written as an `.eml` file into
 * `<dataDir>/outbox` (open it with any mail client); with `SMTP_URL` it goes to a real server.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/** One email. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra headers, e.g. `X-Secondfactor-Event`. */
  headers?: Record<string, string>;
}

/** Sends mail. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Options of {@link createMailer}. */
export interface MailerOptions {
  from: string;
  /** Real SMTP server, e.g. `smtps://user:pass@smtp.example.com`. Without it, the outbox folder. */
  smtpUrl?: string;
  /** The outbox folder for development. */
  outboxDir: string;
  /** Where the one-line log goes. Default `console.log`. */
  log?: (line: string) => void;
}

/**
 * Creates the site's mailer. The log line names the recipient, subject and file, never the body,
 * so no code or secret can reach a log (S27).
 */
export function createMailer(options: MailerOptions): Mailer {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
        log(`mail: sent "${message.subject}" to ${message.to} via SMTP`);
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let sequence = 0;
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      await mkdir(options.outboxDir, { recursive: true });
      sequence += 1;
      const file = join(
        options.outboxDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${sequence}.eml`,
      );
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      log(`mail: "${message.subject}" to ${message.to} written to ${file}`);
    },
    close: () => transport.close(),
  };
}
