namespace HcsLicensing.Chpa.UcApplications;

/// <summary>Why a call to a publisher did not give an answer CHPA can use.</summary>
public enum UcFailure
{
    /// <summary>No connection, or it was dropped; or the publisher kept answering 5xx.</summary>
    Unreachable,

    /// <summary>No answer within the attempt or total timeout.</summary>
    TimedOut,

    /// <summary>The publisher answers 503: it is restarting (e.g. after a register).</summary>
    Restarting,

    /// <summary>401/403: the publisher refused the credentials.</summary>
    CredentialsRefused,

    /// <summary>4xx with an error code: the publisher understood and refused (the code is in <see cref="UcResult{T}.Error"/>).</summary>
    Refused,

    /// <summary>An answer CHPA cannot read.</summary>
    Unexpected,
}
