using HcsLicensing.ServiceDefaults.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HcsLicensing.ServiceDefaults.Outbox;

/// <summary>Puts the outbox and inbox tables into a service's model, so that its migrations create them.</summary>
public static class OutboxModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>The channel a commit that adds outgoing messages notifies, waking every dispatcher at once.</summary>
    public const string Channel = "outbox_messages";

    public static ModelBuilder MapTransactionalOutbox(this ModelBuilder modelBuilder)
    {
        var outbox = modelBuilder.Entity<OutboxMessage>();
        outbox.ToTable(OutboxTable);
        outbox.HasKey(m => m.SequenceNumber);
        outbox.Property(m => m.SequenceNumber).UseIdentityAlwaysColumn();
        outbox.Property(m => m.Destination).HasMaxLength(1024);
        outbox.Property(m => m.Source).HasMaxLength(1024);
        outbox.Property(m => m.ResponseTo).HasMaxLength(1024);
        outbox.Property(m => m.FaultTo).HasMaxLength(1024);
        outbox.Property(m => m.ContentType).HasMaxLength(256);
        outbox.Property(m => m.TraceParent).HasMaxLength(128);
        outbox.HasIndex(m => m.TokenId).IsUnique().HasFilter("token_id IS NOT NULL");
        // The dispatcher's query: due, neither cancelled nor set aside, oldest first.
        outbox.HasIndex(m => m.DueAt).HasDatabaseName("ix_outbox_messages_due").HasFilter("NOT cancelled AND dead_at IS NULL");
        outbox.Metadata.UseSnakeCaseColumns();

        var inbox = modelBuilder.Entity<InboxMessage>();
        inbox.ToTable(InboxTable);
        inbox.HasKey(m => new { m.MessageId, m.ConsumerId });
        // Retention deletes the oldest first.
        inbox.HasIndex(m => m.ReceivedAt);
        inbox.Metadata.UseSnakeCaseColumns();
        return modelBuilder;
    }

    /// <summary>
    /// Every commit that adds rows to the outbox notifies <see cref="Channel"/> (PostgreSQL delivers a notification only
    /// when its transaction commits), so a dispatcher sends a message the moment it may instead of on its next poll.
    /// The payload is the highest sequence number the inserting statement added: a dispatcher that already took that
    /// row skips the wake-up (<see cref="TakenRows"/>). Idempotent; run by the migrations that create or change the
    /// table (or after EnsureCreated in tests).
    /// </summary>
    public const string NotificationSql =
        $"""
        CREATE OR REPLACE FUNCTION {OutboxTable}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{Channel}', (SELECT max(sequence_number)::text FROM added));
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER {OutboxTable}_notify AFTER INSERT ON {OutboxTable} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {OutboxTable}_notify();
        """;

    /// <summary>In the migration that creates the outbox table: see <see cref="NotificationSql"/>.</summary>
    public static void CreateOutboxNotification(this MigrationBuilder migration) => migration.Sql(NotificationSql);

    /// <summary>
    /// In the migration that replaces the durable scheduler's former table (scheduled_messages, which kept each
    /// ScheduleMessage's envelope): its pending schedules become outbox rows due at their time, in the delivered form
    /// (payload as the message, the token as message id and MT-Scheduling-TokenId header), before that table is dropped.
    /// </summary>
    public static void MovePendingSchedulesIntoOutbox(this MigrationBuilder migration) =>
        migration.Sql(
            $$"""
            INSERT INTO {{OutboxTable}} (message_id, token_id, due_at, destination, request_id, correlation_id, conversation_id, initiator_id,
                                       source, response_to, fault_to, sent_time, content_type, message_type, body, headers_json, trace_parent,
                                       cancelled, attempts, created_at)
            SELECT token_id, token_id, due_at, destination,
                   (envelope::jsonb ->> 'requestId')::uuid, (envelope::jsonb ->> 'correlationId')::uuid,
                   (envelope::jsonb ->> 'conversationId')::uuid, (envelope::jsonb ->> 'initiatorId')::uuid,
                   envelope::jsonb ->> 'sourceAddress', envelope::jsonb ->> 'responseAddress', envelope::jsonb ->> 'faultAddress',
                   created_at, 'application/vnd.masstransit+json',
                   COALESCE((SELECT string_agg(t, ';') FROM jsonb_array_elements_text(envelope::jsonb -> 'message' -> 'payloadType') AS t), ''),
                   jsonb_strip_nulls(jsonb_build_object(
                       'messageId', token_id, 'destinationAddress', destination,
                       'messageType', envelope::jsonb -> 'message' -> 'payloadType', 'message', envelope::jsonb -> 'message' -> 'payload',
                       'requestId', envelope::jsonb -> 'requestId', 'correlationId', envelope::jsonb -> 'correlationId',
                       'conversationId', envelope::jsonb -> 'conversationId', 'initiatorId', envelope::jsonb -> 'initiatorId',
                       'sourceAddress', envelope::jsonb -> 'sourceAddress', 'responseAddress', envelope::jsonb -> 'responseAddress',
                       'faultAddress', envelope::jsonb -> 'faultAddress', 'host', envelope::jsonb -> 'host',
                       'headers', COALESCE(envelope::jsonb -> 'headers', '{}'::jsonb) || jsonb_build_object('MT-Scheduling-TokenId', token_id::text)))::text,
                   jsonb_build_object('MT-Scheduling-TokenId', token_id::text)::text, trace_parent, FALSE, 0, created_at
              FROM scheduled_messages
             WHERE NOT cancelled AND envelope <> '';
            """);
}
