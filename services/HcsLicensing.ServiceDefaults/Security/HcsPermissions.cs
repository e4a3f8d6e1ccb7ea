namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>
/// The suite's permission table: every HTTP endpoint names one of these as its authorization policy. A caller holds a
/// permission when its token carries it as a scope (<c>scope</c>/<c>scp</c>) or as a role (<c>roles</c>/<c>role</c>),
/// so client-credentials callers (scopes) and operators (roles from the partner's IdP) are treated alike.
/// The three are independent: an operator who may assign also needs hcs.read to watch the job.
/// </summary>
public static class HcsPermissions
{
    /// <summary>Every GET: jobs, clusters, virtual accounts, smart accounts, transport settings.</summary>
    public const string Read = "hcs.read";

    /// <summary>Assign, unassign, reassign, batch assign; job restart and cancel; sync now.</summary>
    public const string Operate = "hcs.operate";

    /// <summary>Smart account configuration (client secrets), transport settings, CHPA's inventory (UC credentials).</summary>
    public const string Admin = "hcs.admin";

    public static IReadOnlyList<string> All { get; } = [Read, Operate, Admin];
}
