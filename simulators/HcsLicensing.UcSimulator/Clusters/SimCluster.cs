namespace HcsLicensing.UcSimulator.Clusters;

/// <summary>
/// One simulated UC cluster, reached through its publisher. All state changes happen under the cluster's own lock,
/// so concurrent calls on one cluster see each other's effects in order and calls on different clusters never wait.
/// </summary>
public sealed class SimCluster(SimClusterDefinition definition)
{
    private readonly Lock _gate = new();
    private SimLicenseMode _licenseMode = definition.LicenseMode;
    private SimTransport _transport = definition.Transport.Normalized();
    private SimRegistration _registration = definition.Registration;
    private SimKnobs _knobs = definition.Knobs;
    private DateTimeOffset _restartEndsAt = DateTimeOffset.MinValue;
    private Task<SimRegistration>? _pendingOutcome;
    private int _registerRequests;
    private int _registrationsStarted;

    public string Name { get; } = definition.Name;

    public string Type { get; } = definition.Type;

    public string Version { get; } = definition.Version;

    /// <summary>The publisher's host name, the key its API is reached by.</summary>
    public string Publisher { get; } = definition.Publisher;

    public SimCredentials Management { get; } = definition.Management;

    public SimCredentials Platform { get; } = definition.Platform;

    public SimKnobs Knobs
    {
        get { lock (_gate) { return _knobs; } }
        set { lock (_gate) { _knobs = value; } }
    }

    /// <summary>How many register calls the publisher received (tests check that a register is not re-sent).</summary>
    public int RegisterRequests => Volatile.Read(ref _registerRequests);

    /// <summary>How many of those register calls were accepted and started a registration (a drill checks: one per assignment).</summary>
    public int RegistrationsStarted => Volatile.Read(ref _registrationsStarted);

    /// <summary>True while the publisher restarts after a register.</summary>
    public bool IsRestarting(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now < _restartEndsAt;
        }
    }

    public SimLicenseMode LicenseMode
    {
        get { lock (_gate) { return _licenseMode; } }
    }

    public SimTransport Transport
    {
        get { lock (_gate) { return _transport; } }
    }

    public SimLicenseMode SetLicenseMode(SimLicenseMode mode)
    {
        lock (_gate)
        {
            var previous = _licenseMode;
            _licenseMode = mode;
            return previous;
        }
    }

    public void SetTransport(SimTransport transport)
    {
        lock (_gate)
        {
            _transport = transport.Normalized();
        }
    }

    /// <summary>
    /// The registration now. A registration whose publisher restart is over and whose CSSM call has finished
    /// takes that call's outcome here, so no timer is needed per cluster.
    /// </summary>
    public SimRegistration Registration(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_registration.State == SimRegistrationState.Inprogress && now >= _restartEndsAt && _pendingOutcome is { IsCompleted: true } outcome)
            {
                _registration = outcome.IsCompletedSuccessfully
                    ? outcome.Result
                    : _registration with { State = SimRegistrationState.Failed, FailureReason = "internal_error: the Smart Agent crashed" };
                _pendingOutcome = null;
            }

            return _registration;
        }
    }

    /// <summary>
    /// Starts a registration: Inprogress at once, the publisher restarting for <paramref name="restart"/>, and
    /// <paramref name="callCssm"/> deciding the outcome meanwhile. Null when it is refused (why in <paramref name="refusal"/>).
    /// </summary>
    public SimRegistration? BeginRegistration(bool force, TimeSpan restart, DateTimeOffset now, Func<Task<SimRegistration>> callCssm, out string? refusal)
    {
        Interlocked.Increment(ref _registerRequests);
        lock (_gate)
        {
            var current = Registration(now);
            refusal = current.State switch
            {
                SimRegistrationState.Inprogress => "registration_in_progress",
                SimRegistrationState.Registered when !force => "already_registered",
                _ => null,
            };
            if (refusal is not null)
            {
                return null;
            }

            Interlocked.Increment(ref _registrationsStarted);
            _registration = current with { State = SimRegistrationState.Inprogress, FailureReason = null, LastAttemptAt = now };
            _restartEndsAt = now + restart;
            _pendingOutcome = Task.Run(callCssm);
            return _registration;
        }
    }

    /// <summary>Leaves CSSM: Unregistered, back in evaluation. Returns the registration before.</summary>
    public SimRegistration Deregister(DateTimeOffset now)
    {
        lock (_gate)
        {
            var before = Registration(now);
            _registration = SimRegistration.Unregistered with { LastAttemptAt = before.LastAttemptAt };
            _pendingOutcome = null;
            return before;
        }
    }

    /// <summary>Renews the authorization of a registered cluster; false when it is not registered.</summary>
    public bool RenewAuthorization(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Registration(now).State != SimRegistrationState.Registered)
            {
                return false;
            }

            _registration = _registration with { Authorization = SimAuthorizationState.Authorized };
            return true;
        }
    }

    /// <summary>
    /// Sets the authorization of a registered cluster as time would (an authorization that expired, a VA out of
    /// compliance): the admin knob for the license audit's tests; false when it is not registered.
    /// </summary>
    public bool SetAuthorization(SimAuthorizationState state, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Registration(now).State != SimRegistrationState.Registered)
            {
                return false;
            }

            _registration = _registration with { Authorization = state };
            return true;
        }
    }
}
