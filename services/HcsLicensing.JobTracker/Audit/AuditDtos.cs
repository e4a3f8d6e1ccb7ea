namespace HcsLicensing.JobTracker.Audit;

/// <summary>One line of GET /audit.</summary>
public sealed record AuditEntryDto(
    long Id, DateTimeOffset At, string Actor, string Action, string? Service, string EntityType, string EntityName, string Detail, Guid? JobId)
{
    public static AuditEntryDto From(AuditEntry entry) =>
        new(entry.Id, entry.At, entry.Actor, entry.Action, entry.Service, entry.EntityType, entry.EntityName, entry.Detail, entry.JobId);
}
