using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.JobTracker.Migrations
{
    /// <inheritdoc />
    public partial class RetentionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_jobs_completed",
                table: "jobs",
                column: "completed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_completed",
                table: "jobs");
        }
    }
}
