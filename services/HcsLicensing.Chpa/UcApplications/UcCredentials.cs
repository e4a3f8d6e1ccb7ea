using System.Text;

namespace HcsLicensing.Chpa.UcApplications;

/// <summary>
/// A user name and password for a publisher. A class, not a record, so that nothing prints the password:
/// ToString masks it, and it is never serialized except by <see cref="Inventory.CredentialProtector"/>.
/// </summary>
public sealed class UcCredentials(string userName, string password)
{
    /// <summary>
    /// Stands for stored credentials that cannot be decrypted (e.g. the Data Protection key ring was lost): calls with
    /// them are not sent, and the operation fails as credentials refused, asking an operator to enter them again.
    /// </summary>
    public static readonly UcCredentials Unreadable = new("", "");

    public bool IsReadable => !ReferenceEquals(this, Unreadable);

    public string UserName { get; } = userName;

    public string Password { get; } = password;

    /// <summary>The parameter of an HTTP Basic Authorization header: base64(user:password).</summary>
    public string BasicParameter() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}"));

    public override string ToString() => "***";
}
