/**
 * The bare baseline in a process of its own (as the gateway and nginx run in theirs): Node's https
 * with the gateway's TLS settings (same key, certificate and CA, client certificate required,
 * TLS >= 1.2), answering the very bytes of a gateway page. run by pull.ts over IPC: it gets the
 * page and the TLS files, answers with its port, and exits when the parent goes.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface BareServerJob {
  bodyFile: string;
  contentType: string;
  key: string;
  cert: string;
  ca: string;
}

process.once('message', (job: BareServerJob) => {
  const body = fs.readFileSync(job.bodyFile);
  const server = https.createServer(
    { key: fs.readFileSync(job.key), cert: fs.readFileSync(job.cert), ca: fs.readFileSync(job.ca), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': job.contentType, 'content-length': body.length });
      res.end(body);
    },
  );
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
});
process.once('disconnect', () => process.exit(0));
