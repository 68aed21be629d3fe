-- AlterTable
ALTER TABLE "items" ADD COLUMN     "search_document" tsvector;

-- CreateIndex
CREATE INDEX "items_search_document_idx" ON "items" USING GIN ("search_document");

-- Backfill: the keyword document of every existing item (title A, accepted tags B, description C),
-- the same expression as ItemSearchRepository's refresh.
UPDATE "items" i SET "search_document" =
  setweight(to_tsvector('english'::regconfig, i.title), 'A') ||
  setweight(to_tsvector('english'::regconfig, coalesce((
    SELECT string_agg(t.word, ' ' ORDER BY t.word) FROM "tags" t
    WHERE t.item_id = i.id AND t.state = 'accepted'), '')), 'B') ||
  setweight(to_tsvector('english'::regconfig, coalesce(i.description, '')), 'C');
