using Microsoft.EntityFrameworkCore;

namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>
/// A message waiting in PostgreSQL for its time: the ScheduleMessage envelope as it arrived, so that the
/// message sent when due carries the original type, correlation, request and response addresses.
/// A cancellation that arrives before its schedule leaves a cancelled row, so the late schedule is ignored.
/// </summary>
public sealed class ScheduledDelivery
{
    /// <summary>MassTransit's scheduling token (ScheduleMessage.CorrelationId), also the sent message's id.</summary>
    public Guid TokenId { get; set; }

    public DateTime DueAt { get; set; }

    public string Destination { get; set; } = "";

    /// <summary>The ScheduleMessage's MassTransit JSON envelope; the payload inside it is what gets sent.</summary>
    public string Envelope { get; set; } = "";

    /// <summary>The W3C trace parent of the scheduling message, so that the delivery continues its trace.</summary>
    public string? TraceParent { get; set; }

    public bool Cancelled { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>Puts the scheduler's table into a service's model, so the service's migrations create it.</summary>
public static class ScheduledMessageModel
{
    public const string Table = "scheduled_messages";

    public static ModelBuilder MapScheduledMessages(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ScheduledDelivery>(entity =>
        {
            entity.ToTable(Table);
            entity.HasKey(m => m.TokenId);
            entity.Property(m => m.TokenId).HasColumnName("token_id").ValueGeneratedNever();
            entity.Property(m => m.DueAt).HasColumnName("due_at");
            entity.Property(m => m.Destination).HasColumnName("destination");
            entity.Property(m => m.Envelope).HasColumnName("envelope");
            entity.Property(m => m.TraceParent).HasColumnName("trace_parent");
            entity.Property(m => m.Cancelled).HasColumnName("cancelled");
            entity.Property(m => m.CreatedAt).HasColumnName("created_at");
            // The dispatcher's query: due, not cancelled, oldest first.
            entity.HasIndex(m => m.DueAt).HasDatabaseName("ix_scheduled_messages_due").HasFilter("NOT cancelled");
        });
        return modelBuilder;
    }
}
