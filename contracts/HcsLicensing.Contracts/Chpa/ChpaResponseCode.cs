namespace HcsLicensing.Contracts.Chpa;

/// <summary>CHPA's verdict on a request, spelled as in HCM-F's logs (<c>&lt;responseCode&gt;PASS&lt;/responseCode&gt;</c>).</summary>
public enum ChpaResponseCode
{
    /// <summary>The operation was done, or its target state already held.</summary>
    PASS,

    /// <summary>The operation was not done; <c>ResponseReason</c> says why.</summary>
    FAIL,
}
