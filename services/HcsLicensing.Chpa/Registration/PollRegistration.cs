namespace HcsLicensing.Chpa.Registration;

/// <summary>
/// CHPA to itself, through the durable scheduler: time to read the state of the cluster a registration waits for.
/// Only the poll carrying the wait's current token acts, so a duplicate delivery cannot fork the chain of polls.
/// </summary>
public sealed record PollRegistration(Guid WaitId, Guid PollToken);
