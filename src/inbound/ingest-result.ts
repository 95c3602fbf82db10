// What ingesting one mail came to: returned to the intake that handed it in, and emitted as `ingested`.

/** `feedback`: a help-center Yes/No mail, recorded on its FAQ entry without a ticket. */
export type IngestStatus = 'created' | 'appended' | 'duplicate' | 'quarantined' | 'feedback';

export interface IngestResult {
  source: string;
  status: IngestStatus;
  ticket: number | null;
  reason?: string;
  /** The stored message (row id) this mail repeats, when a duplicate. */
  duplicateOf?: number;
  /** Quarantine row id, when quarantined. */
  quarantineId?: number;
}
