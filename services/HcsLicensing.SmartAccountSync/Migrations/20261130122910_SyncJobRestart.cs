using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.SmartAccountSync.Migrations
{
    /// <inheritdoc />
    public partial class SyncJobRestart : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempt",
                table: "sync_runs",
                type: "integer",
                nullable: false,
                // Every run so far was its job's first.
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "cancel_requested",
                table: "sync_runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "cancel_requested_by",
                table: "sync_runs",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attempt",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "cancel_requested",
                table: "sync_runs");

            migrationBuilder.DropColumn(
                name: "cancel_requested_by",
                table: "sync_runs");
        }
    }
}
