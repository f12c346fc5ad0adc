CREATE TABLE "model_promotions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "model_promotions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type_id" text NOT NULL,
	"tenant_id" integer,
	"from_version_id" bigint,
	"to_version_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_promotions_kind" CHECK ("model_promotions"."kind" IN ('promote', 'rollback'))
);
--> statement-breakpoint
ALTER TABLE "model_promotions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_from_version_id_model_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_to_version_id_model_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_promotions_type_scope" ON "model_promotions" USING btree ("type_id","tenant_id","id");--> statement-breakpoint
CREATE POLICY "model_promotions_tenant_isolation" ON "model_promotions" AS PERMISSIVE FOR ALL TO public USING (tenant_id IS NOT DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::int) WITH CHECK (tenant_id IS NOT DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::int);