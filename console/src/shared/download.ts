/**
 * Saves text the page already holds as a file: a Blob URL, no second request. The link is put in
 * the page for the click (some browsers ignore a click on a detached link) and the URL revoked
 * later (revoked at once, a download can be cancelled).
 */
export function downloadText(text: string, fileName: string, mediaType = 'application/x-pem-file'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
