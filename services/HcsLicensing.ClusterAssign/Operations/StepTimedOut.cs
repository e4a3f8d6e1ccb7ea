namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>ClusterAssign to itself: the wait <paramref name="WaitToken"/> of <paramref name="ClusterName"/> is past its deadline.</summary>
public sealed record StepTimedOut(string ClusterName, Guid WaitToken);
