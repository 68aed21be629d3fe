-- CreateTable
CREATE TABLE "query_images" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "model_id" TEXT NOT NULL,
    "vector" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "query_images_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "query_images_expires_at_idx" ON "query_images"("expires_at");

-- AddForeignKey
ALTER TABLE "query_images" ADD CONSTRAINT "query_images_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
