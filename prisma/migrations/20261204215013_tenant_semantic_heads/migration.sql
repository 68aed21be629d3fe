-- CreateEnum
CREATE TYPE "SemanticHeadState" AS ENUM ('candidate', 'active', 'retired');

-- CreateTable
CREATE TABLE "semantic_heads" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "state" "SemanticHeadState" NOT NULL DEFAULT 'candidate',
    "visual_model" TEXT NOT NULL,
    "visual_dim" INTEGER NOT NULL,
    "semantic_dim" INTEGER NOT NULL,
    "kernel" BYTEA NOT NULL,
    "labels" TEXT[],
    "report" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promoted_at" TIMESTAMP(3),

    CONSTRAINT "semantic_heads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "semantic_heads_tenant_id_state_idx" ON "semantic_heads"("tenant_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "semantic_heads_tenant_id_version_key" ON "semantic_heads"("tenant_id", "version");

-- AddForeignKey
ALTER TABLE "semantic_heads" ADD CONSTRAINT "semantic_heads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
