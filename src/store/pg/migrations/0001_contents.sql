CREATE TABLE "contents" (
	"kind" text NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contents_kind_sha256_pk" PRIMARY KEY("kind","sha256"),
	CONSTRAINT "contents_kind" CHECK ("contents"."kind" IN ('raw', 'attachment')),
	CONSTRAINT "contents_sha256" CHECK ("contents"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
-- Kept out of line and uncompressed, as the packs keep them (bench:content; see src/store/pg/content-store.ts).
ALTER TABLE "contents" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
