import { spawn } from 'node:child_process';

export interface ScannedFile {
  fileName: string;
  mediaType: string;
}

export type ScanVerdict = { verdict: 'clean' } | { verdict: 'infected'; signature: string } | { verdict: 'error'; reason: string };

/**
 * The hook for an external malware scanner (IV.5.a), asked about every uploaded file after the
 * gateway's own checks. Provide another implementation under FILE_SCANNER (an ICAP client, a
 * vendor's HTTP API) to plug one in; the gateway ships the command-line one below.
 */
export interface FileScanner {
  readonly name: string;
  scan(content: Buffer, file: ScannedFile): Promise<ScanVerdict>;
}

export const FILE_SCANNER = Symbol('FILE_SCANNER');

/** FILE_SCANNER_COMMAND unset: the gateway's own checks only. */
export class NoFileScanner implements FileScanner {
  readonly name = 'none';

  async scan(): Promise<ScanVerdict> {
    return { verdict: 'clean' };
  }
}

const OUTPUT_LIMIT = 16 * 1024;

/**
 * Runs a clamdscan-compatible command (no shell) with the file on its standard input: exit 0 is
 * clean, 1 infected (the signature is read from "…: <name> FOUND" in its output), anything else,
 * a timeout or a failure to start is an error, never taken for clean.
 */
export class CommandFileScanner implements FileScanner {
  readonly name: string;
  private readonly argv: string[];

  constructor(
    command: string,
    private readonly timeoutMs: number,
  ) {
    this.argv = command.trim().split(/\s+/);
    this.name = this.argv[0];
  }

  scan(content: Buffer): Promise<ScanVerdict> {
    return new Promise((resolve) => {
      let output = '';
      let settled = false;
      const settle = (verdict: ScanVerdict) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(verdict);
      };
      const child = spawn(this.argv[0], this.argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle({ verdict: 'error', reason: `no verdict within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      const collect = (chunk: Buffer) => {
        if (output.length < OUTPUT_LIMIT) output += chunk.toString('utf8');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', (error) => settle({ verdict: 'error', reason: `could not run ${this.name}: ${error.message}` }));
      child.on('close', (code) => {
        if (code === 0) return settle({ verdict: 'clean' });
        if (code === 1) return settle({ verdict: 'infected', signature: /:\s*(.+?)\s+FOUND/.exec(output)?.[1] ?? 'unnamed' });
        settle({ verdict: 'error', reason: `${this.name} exited with ${code ?? 'a signal'}: ${output.trim().slice(0, 200)}` });
      });
      // A scanner that decides before reading everything closes its input (EPIPE): not an error of
      // ours. Anything else ends in 'close' or 'error' above, which settle the verdict; noted here too.
      child.stdin.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') output += `\n(input not delivered: ${error.message})`;
      });
      child.stdin.end(content);
    });
  }
}
