/** Plays an entry's file (served with range requests): audio, video or an image. */
export function EntryPlayer({ src, mime, label }: { src: string; mime: string | null; label: string }) {
  if (!mime) return null;
  if (mime.startsWith('image/')) return <img src={src} alt={label} className="entry-photo" loading="lazy" />;
  if (mime.startsWith('video/'))
    return (
      <video controls preload="metadata" className="entry-video" aria-label={label}>
        <source src={src} type={mime} />
      </video>
    );
  return (
    <audio controls preload="metadata" aria-label={label}>
      <source src={src} type={mime} />
    </audio>
  );
}
