using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.ClusterAssign.Migrations
{
    /// <inheritdoc />
    public partial class LicenseAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "license_audit_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    clusters = table.Column<int>(type: "integer", nullable: false),
                    new_findings = table.Column<int>(type: "integer", nullable: false),
                    closed_findings = table.Column<int>(type: "integer", nullable: false),
                    open_findings = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_license_audit_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "license_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cluster_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    smart_account_domain = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    virtual_account = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    summary = table.Column<string>(type: "text", nullable: false),
                    evidence = table.Column<string>(type: "jsonb", nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    first_audit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    last_audit_id = table.Column<Guid>(type: "uuid", nullable: false),
                    repair_job_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_license_findings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_license_audit_runs_started",
                table: "license_audit_runs",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ux_license_audit_runs_running",
                table: "license_audit_runs",
                column: "status",
                unique: true,
                filter: "status = 'Running'");

            migrationBuilder.CreateIndex(
                name: "ix_license_findings_status_type",
                table: "license_findings",
                columns: new[] { "status", "type", "severity" });

            migrationBuilder.CreateIndex(
                name: "ix_license_findings_va",
                table: "license_findings",
                columns: new[] { "smart_account_domain", "virtual_account" });

            migrationBuilder.CreateIndex(
                name: "ux_license_findings_open",
                table: "license_findings",
                columns: new[] { "cluster_name", "type" },
                unique: true,
                filter: "status = 'Open'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "license_audit_runs");

            migrationBuilder.DropTable(
                name: "license_findings");
        }
    }
}
