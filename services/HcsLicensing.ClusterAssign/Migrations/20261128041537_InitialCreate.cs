using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.ClusterAssign.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cluster_operations",
                columns: table => new
                {
                    correlation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    current_state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    cluster_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    application_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    version = table.Column<string>(type: "text", nullable: true),
                    smart_account_domain = table.Column<string>(type: "text", nullable: true),
                    virtual_account_name = table.Column<string>(type: "text", nullable: true),
                    registration_state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    last_job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    last_job_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    phase = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    request_id = table.Column<string>(type: "text", nullable: true),
                    operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    target_domain = table.Column<string>(type: "text", nullable: true),
                    target_virtual_account = table.Column<string>(type: "text", nullable: true),
                    requested_by = table.Column<string>(type: "text", nullable: true),
                    current_step = table.Column<string>(type: "text", nullable: true),
                    failed_step = table.Column<string>(type: "text", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    failure_error = table.Column<string>(type: "text", nullable: true),
                    recommended_action = table.Column<string>(type: "text", nullable: true),
                    wait_token = table.Column<Guid>(type: "uuid", nullable: false),
                    deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    license_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    transport_mode = table.Column<string>(type: "text", nullable: true),
                    reply_address = table.Column<string>(type: "text", nullable: true),
                    reply_request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    replied = table.Column<bool>(type: "boolean", nullable: false),
                    batch_remaining = table.Column<List<string>>(type: "text[]", nullable: false),
                    recent_request_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    recent_job_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    last_message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    last_outgoing = table.Column<string>(type: "jsonb", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cluster_operations", x => x.correlation_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cluster_operations_deadline",
                table: "cluster_operations",
                column: "deadline",
                filter: "deadline IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_cluster_operations_job",
                table: "cluster_operations",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "ix_cluster_operations_name",
                table: "cluster_operations",
                column: "cluster_name");

            migrationBuilder.CreateIndex(
                name: "ix_cluster_operations_va",
                table: "cluster_operations",
                columns: new[] { "smart_account_domain", "virtual_account_name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cluster_operations");
        }
    }
}
