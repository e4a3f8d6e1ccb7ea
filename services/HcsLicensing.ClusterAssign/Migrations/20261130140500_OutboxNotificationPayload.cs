using HcsLicensing.ClusterAssign.Data;
using HcsLicensing.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HcsLicensing.ClusterAssign.Migrations
{
    /// <summary>
    /// The outbox's notification carries the highest sequence number its statement added, so that the dispatcher skips
    /// a wake-up for rows it already took (OutboxModel.NotificationSql). No model change. Down keeps the new trigger:
    /// an older dispatcher ignores the payload.
    /// </summary>
    [DbContext(typeof(ClusterAssignDbContext))]
    [Migration("20261130140500_OutboxNotificationPayload")]
    public partial class OutboxNotificationPayload : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateOutboxNotification();

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
