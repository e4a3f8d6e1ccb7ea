namespace HcsLicensing.ServiceDefaults.Scheduling;

/// <summary>How the durable scheduler's dispatcher polls ("Scheduler" configuration section).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>How often the dispatcher looks for due messages when none were due; a due message is at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Due messages one instance takes and sends in one transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a cancellation that never met its schedule is kept.</summary>
    public TimeSpan CancelledRetention { get; set; } = TimeSpan.FromDays(1);
}
