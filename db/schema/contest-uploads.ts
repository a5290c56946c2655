import type { Iso } from './foundation';

/* ---- Resumable (tus) uploads of contest entries (issue #15). ---- */

/** uploading → complete (content checked) → attached (on the entry); or refused; rows expire. */
export type UploadStatus = 'uploading' | 'complete' | 'refused' | 'attached';

export interface ContestUploadsTable {
  /** The tus upload id (also the file name in the tus store). */
  id: string;
  user_id: string;
  round_id: string;
  /** The declared Upload-Length. */
  size_bytes: number;
  status: UploadStatus;
  /** The content check's refusal code (a ProbeError or a length code) when refused. */
  error: string | null;
  mime: string | null;
  duration_s: number | null;
  created_at: Iso;
  finished_at: Iso | null;
  expires_at: Iso;
}

export interface ContestUploadsTables {
  contest_uploads: ContestUploadsTable;
}
