namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>Where a message decided by <see cref="ClusterOperationFlow"/> goes.</summary>
public enum Destination
{
    /// <summary>Sent to CHPA's queue, answered back to this service.</summary>
    Chpa,

    /// <summary>Published (SmartAccountSync's token consumer takes it), answered back to this service.</summary>
    SmartAccountSync,

    /// <summary>Published: job events and ClusterOperationCompleted.</summary>
    Publish,

    /// <summary>The requester's ClusterAssignmentResp: to its response address, or published when it gave none.</summary>
    Reply,

    /// <summary>To this service's own saga queue (the next cluster of a batch lane).</summary>
    Self,
}

/// <summary>One message the flow decided to send; the state machine sends them after the saga row is saved.</summary>
public sealed record Outgoing(Destination To, object Message);
