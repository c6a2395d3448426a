// Hand a file to the user: a download in a browser; in the desktop app the
// shell turns the same download into a save dialog.

export function download(fileName: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  downloadUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A download of a URL, named `fileName` or, when that is empty, as the response says (Content-Disposition). */
export function downloadUrl(url: string, fileName = ''): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** A safe file name from a title ("Gradient norms · run 3" → "gradient-norms-run-3"). */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  );
}
