using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace HcsLicensing.AppHost.Demo;

/// <summary>
/// The demo, run inside the AppHost once the services are healthy, through the services' own HTTP APIs only:
/// configure the smart account and wait for its VA sync, add the simulator's clusters to CHPA's inventory, assign one
/// cluster through ClusterAssign and follow its job's steps in JobTracker, then print where everything is.
/// </summary>
public sealed class DemoRunner(
    DemoOptions options, DemoEndpoints endpoints, ResourceNotificationService notifications, IHttpClientFactory httpClients)
    : IHostedLifecycleService, IDisposable
{
    public const string HttpClientName = "demo";

    private static readonly string[] ProblemFields = ["title", "detail", "reason", "recommendedAction"];

    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;

    /// <summary>
    /// Starts in StartingAsync, before the orchestrator's own start returns (which is after every resource has been
    /// created), so that the terminal shows each resource becoming ready while the suite comes up.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => RunSafelyAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _run.WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RunSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl-C during the demo.
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException or KeyNotFoundException)
        {
            // The suite keeps running: the dashboard's logs and traces say what went wrong.
            DemoConsole.Say($"The demo stopped: {e.Message}");
            DemoConsole.Say($"The suite is still running; see the dashboard at {endpoints.DashboardUrl} (Ctrl+C stops everything).");
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        await WaitForSuiteAsync(cancellationToken);

        var (smartAccountId, syncJobId, syncTrace) = await ConfigureSmartAccountAsync(http, cancellationToken);
        var jobs = new JobFollower(http, Base(endpoints.JobTracker));
        var sync = await jobs.FollowAsync(syncJobId, options.JobTimeout, cancellationToken);
        if (sync?.Status == "Succeeded")
        {
            var account = await GetJsonAsync(http, Url(endpoints.SmartAccountSync, $"smart-accounts/{smartAccountId}"), cancellationToken);
            DemoConsole.Say(string.Create(CultureInfo.InvariantCulture,
                $"  {account.GetProperty("virtualAccounts").GetInt32():N0} virtual accounts synced ({account.GetProperty("satelliteVirtualAccountsIgnored").GetInt32():N0} synced through a satellite skipped; CSSM lists {options.VirtualAccounts:N0})"));
        }

        await FillInventoryAsync(http, cancellationToken);
        var assignment = await AssignAsync(http, jobs, cancellationToken);
        PrintSummary(syncTrace, assignment);
    }

    /// <summary>
    /// Prints each resource as it becomes healthy, so that a slow start shows where it is; one that stops before it
    /// is ready ends the demo with its name (its console log in the dashboard says why).
    /// </summary>
    private async Task WaitForSuiteAsync(CancellationToken cancellationToken)
    {
        DemoConsole.Say("Starting RabbitMQ, PostgreSQL, the simulators and the services (the dashboard shows each one's console log) ...");
        string[] resources = [Names.RabbitMq, Names.Postgres, Names.CssmSimulator, Names.UcSimulator, Names.JobTracker, Names.SmartAccountSync, Names.Chpa, Names.ClusterAssign, Names.Console];
        var pending = new HashSet<string>(resources);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reminder = RemindAsync(pending, waiting.Token);
        try
        {
            await Task.WhenAll(resources.Select(async name =>
            {
                var healthy = notifications.WaitForResourceHealthyAsync(name, waiting.Token);
                var ended = notifications.WaitForResourceAsync(name, [KnownResourceStates.FailedToStart, KnownResourceStates.Exited, KnownResourceStates.Finished], waiting.Token);
                if (await Task.WhenAny(healthy, ended) == ended && !healthy.IsCompletedSuccessfully)
                {
                    throw new InvalidOperationException($"{name} stopped before it was ready ({await ended}); its console log in the dashboard says why");
                }

                await healthy;
                lock (pending)
                {
                    pending.Remove(name);
                }

                DemoConsole.Say($"  {name} ready");
            }));
        }
        finally
        {
            await waiting.CancelAsync();
            await reminder;
        }

        DemoConsole.Blank();
    }

    private static async Task RemindAsync(HashSet<string> pending, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
                lock (pending)
                {
                    DemoConsole.Say($"  still starting: {string.Join(", ", pending)}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // All ready, or the demo ended.
        }
    }

    private async Task<(Guid SmartAccountId, Guid SyncJobId, string TraceId)> ConfigureSmartAccountAsync(HttpClient http, CancellationToken cancellationToken)
    {
        DemoConsole.Say($"1. Configure smart account {options.SmartAccountDomain} in SmartAccountSync (CSSM API client {options.ClientId})");
        var (request, traceId) = Traced(HttpMethod.Post, Url(endpoints.SmartAccountSync, "smart-accounts"));
        request.Content = JsonContent.Create(new { domain = options.SmartAccountDomain, clientId = options.ClientId, clientSecret = options.ClientSecret });
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await ReadJsonAsync(response, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"SmartAccountSync refused the smart account: {(int)response.StatusCode} {Problem(body)}");
            }

            var account = body.GetProperty("smartAccount");
            DemoConsole.Say($"  {(int)response.StatusCode}: smart account {account.GetProperty("name").GetString()} ({account.GetProperty("accountType").GetString()}); its VA sync runs as a job:");
            return (account.GetProperty("id").GetGuid(), body.GetProperty("syncJobId").GetGuid(), traceId);
        }
    }

    private async Task FillInventoryAsync(HttpClient http, CancellationToken cancellationToken)
    {
        DemoConsole.Blank();
        DemoConsole.Say("2. Add the UC simulator's clusters to CHPA's inventory (with each publisher's credentials)");
        var page = await GetJsonAsync(http, Url(endpoints.UcSimulator, "admin/clusters?limit=1000"), cancellationToken);
        var clusters = page.GetProperty("items").EnumerateArray()
            .Select(c => (Name: c.GetProperty("name").GetString()!, Type: c.GetProperty("type").GetString()!, Version: c.GetProperty("version").GetString()!, Publisher: c.GetProperty("publisher").GetString()!))
            .ToList();
        var added = 0;
        var present = 0;
        foreach (var cluster in clusters)
        {
            if (DemoOptions.Credentials(cluster.Name, cluster.Type, cluster.Version) is not { } credentials)
            {
                continue; // not seeded by this AppHost: its credentials are unknown
            }

            using var response = await http.PostAsJsonAsync(Url(endpoints.Chpa, "clusters"), new
            {
                name = cluster.Name,
                type = cluster.Type,
                version = cluster.Version,
                publisherAddress = cluster.Publisher,
                managementCredentials = new { userName = credentials.ManagementUserName, password = credentials.ManagementPassword },
                platformCredentials = new { userName = credentials.PlatformUserName, password = credentials.PlatformPassword },
            }, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                present++;
            }
            else if (response.IsSuccessStatusCode)
            {
                added++;
            }
            else
            {
                throw new InvalidOperationException($"CHPA refused cluster {cluster.Name}: {(int)response.StatusCode} {Problem(await ReadJsonAsync(response, cancellationToken))}");
            }
        }

        var names = clusters.Select(c => c.Name).ToList();
        DemoConsole.Say($"  {added} clusters added{(present > 0 ? $", {present} already there" : "")}: {string.Join(", ", names.Take(4))}, ... {names[^1]}");
    }

    private async Task<(string TraceId, JobView? Job)?> AssignAsync(HttpClient http, JobFollower jobs, CancellationToken cancellationToken)
    {
        DemoConsole.Blank();
        DemoConsole.Say($"3. Assign cluster {options.Cluster} to virtual account {options.VirtualAccount} through ClusterAssign");
        var requestId = $"demo-{Guid.NewGuid():N}";
        var (request, traceId) = Traced(HttpMethod.Post, Url(endpoints.ClusterAssign, $"clusters/{Uri.EscapeDataString(options.Cluster)}/assignment"));
        request.Content = JsonContent.Create(new { smartAccountDomain = options.SmartAccountDomain, virtualAccount = options.VirtualAccount, requestId });
        JsonElement body;
        HttpStatusCode status;
        string? location;
        using (request)
        {
            using var response = await http.SendAsync(request, cancellationToken);
            status = response.StatusCode;
            location = response.Headers.Location?.ToString();
            body = await ReadJsonAsync(response, cancellationToken);
        }

        // A 404 whose problem names no reason is the route missing: a ClusterAssign from before issue #5's API.
        if (status == HttpStatusCode.NotFound && !body.TryGetProperty("reason", out _))
        {
            DemoConsole.Say("  ClusterAssign has no assignment endpoint yet (POST /clusters/{clusterName}/assignment answered 404):");
            DemoConsole.Say("  this build predates the ClusterOperation saga, so the demo stops before the assignment.");
            return null;
        }

        Guid? jobId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("jobId", out var id) && id.TryGetGuid(out var guid) ? guid : null;
        if (status == HttpStatusCode.Accepted && jobId is not null)
        {
            DemoConsole.Say($"  202 Accepted: job {jobId} (Location: {location ?? "-"})");
        }
        else
        {
            DemoConsole.Say($"  {(int)status} {status}: {Problem(body)}");
            if (jobId is null)
            {
                return (traceId, null);
            }

            DemoConsole.Say("  its job shows where it stopped:");
        }

        var job = await jobs.FollowAsync(jobId.Value, options.JobTimeout, cancellationToken);
        if (job?.Status == "Succeeded")
        {
            await ShowInCssmAsync(http, cancellationToken);
        }

        return (traceId, job);
    }

    /// <summary>The proof at the far end: CSSM lists the cluster as a product instance of the virtual account.</summary>
    private async Task ShowInCssmAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var url = Url(endpoints.CssmSimulator, $"sim/inspect/virtual-accounts/{Uri.EscapeDataString(options.SmartAccountDomain)}/{Uri.EscapeDataString(options.VirtualAccount)}/product-instances");
        var instances = await GetJsonAsync(http, url, cancellationToken);
        var instance = instances.EnumerateArray().FirstOrDefault(i => i.GetProperty("productInstanceName").GetString() == options.Cluster);
        DemoConsole.Say(instance.ValueKind == JsonValueKind.Object
            ? $"  CSSM lists {options.Cluster} in {options.VirtualAccount}: product instance {instance.GetProperty("productInstanceId").GetString()} ({instance.GetProperty("productType").GetString()} {instance.GetProperty("version").GetString()})"
            : $"  CSSM does not list {options.Cluster} in {options.VirtualAccount}");
    }

    private void PrintSummary(string syncTrace, (string TraceId, JobView? Job)? assignment)
    {
        var dashboard = endpoints.DashboardUrl;
        DemoConsole.Blank();
        DemoConsole.Say(assignment is { Job: { } job }
            ? string.Create(CultureInfo.InvariantCulture, $"Demo done: {options.Cluster} assignment {job.Status} in {((job.CompletedAt ?? DateTimeOffset.UtcNow) - job.InitiatedAt).TotalSeconds:0.0} s; {DemoConsole.SinceStart.TotalSeconds:0} s since the AppHost started.")
            : string.Create(CultureInfo.InvariantCulture, $"Demo done, {DemoConsole.SinceStart.TotalSeconds:0} s since the AppHost started."));
        DemoConsole.Blank();
        if (endpoints.Console is { } console)
        {
            Line("Operator console", $"{Url(console, "")}  (sign in as {options.OperatorUserName} / {options.OperatorPassword})");
        }

        Line("Dashboard (traces, logs, metrics)", dashboard);
        if (assignment is { } a)
        {
            Line("  the assignment's trace", $"{dashboard}/traces/detail/{a.TraceId}");
        }

        Line("  the smart account sync's trace", $"{dashboard}/traces/detail/{syncTrace}");
        Line("JobTracker (Jobs API)", Url(endpoints.JobTracker, "jobs").ToString());
        Line("SmartAccountSync", Url(endpoints.SmartAccountSync, "smart-accounts").ToString() + $"  ,  {Url(endpoints.SmartAccountSync, "virtual-accounts")}");
        Line("Chpa (inventory)", Url(endpoints.Chpa, "clusters").ToString());
        Line("ClusterAssign", Url(endpoints.ClusterAssign, "clusters").ToString() + $"  ,  POST {Url(endpoints.ClusterAssign, "clusters")}/{{name}}/assignment");
        Line("CSSM simulator", Url(endpoints.CssmSimulator, "sim/inspect/smart-accounts").ToString());
        Line("UC simulator", Url(endpoints.UcSimulator, "admin/clusters").ToString());
        foreach (var (name, address) in endpoints.Servers)
        {
            Line(name, address);
        }

        DemoConsole.Blank();
        DemoConsole.Say("Everything keeps running for you to explore. Ctrl+C stops it all and removes its data.");

        static void Line(string what, string where) => Console.Out.WriteLine($"  {what,-36} {where}");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response, cancellationToken);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new { detail = text });
        }
    }

    /// <summary>A problem's title, detail and reason, as far as the answer has them.</summary>
    private static string Problem(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return "(no body)";
        }

        var parts = ProblemFields
            .Select(name => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? $"{value.GetString()}" : null)
            .Where(text => !string.IsNullOrEmpty(text));
        return string.Join(" - ", parts);
    }

    /// <summary>
    /// A request that starts a trace of our choosing (W3C traceparent), so the summary can link straight to it in the
    /// dashboard. The AppHost exports no spans of its own, so the service's span is the trace's first.
    /// </summary>
    private static (HttpRequestMessage Request, string TraceId) Traced(HttpMethod method, Uri url)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return (request, traceId.ToHexString());
    }

    private static Uri Base(EndpointReference endpoint) => new(endpoint.Url.TrimEnd('/') + "/");

    private static Uri Url(EndpointReference endpoint, string path) => new(Base(endpoint), path);
}
