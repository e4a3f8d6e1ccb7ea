using System.Net;
using System.Net.Http.Json;
using HcsLicensing.Contracts.Audit;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Audit;
using HcsLicensing.ServiceDefaults.Http;
using HcsLicensing.TestBed.Security;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Audit;

/// <summary>
/// Who did what when, on the running JobTracker (real RabbitMQ and PostgreSQL): a job's requestedBy, restartedBy and
/// cancelRequestedBy in its DTO; GET /audit listing job starts, restarts, cancels and configuration changes, newest
/// first, filtered by actor, entity and time, each once however often its message comes.
/// </summary>
public class AuditTrailTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task A_job_records_who_asked_and_its_start_is_one_audit_entry_however_often_JobCreated_comes()
    {
        var id = Guid.NewGuid();
        var actor = $"operator-{Guid.NewGuid():N}"[..20];
        var created = Created(id) with { RequestedBy = actor };
        await host.PublishAndWaitAsync(created with { Queued = true, Description = "Assignment of Cluster cl1-alfa to HCS-DEMO queued" });
        await host.PublishAndWaitAsync(created);
        await host.PublishAndWaitAsync(created); // a redelivery, or an owner publishing twice
        // Published last to the same queue: once it is listed, the repeats before it have been handled.
        await host.PublishAllAsync([Change("sentinel", "after the repeats", actor, Initiated.AddDays(-1))]);

        var job = await host.Api.WaitForJobAsync(id, j => j.RequestedBy is not null);
        var audit = await WaitForAuditAsync($"actor={actor}&entity=cl1-alfa", _ => false, until: $"actor={actor}&entity=sentinel");

        Assert.Multiple(() =>
        {
            Assert.That(job.RequestedBy, Is.EqualTo(actor));
            Assert.That(audit.Items, Has.Count.EqualTo(1), "one entry: the queued announcement is not one, the repeat adds none");
            var entry = audit.Items[0];
            Assert.That((entry.Action, entry.EntityType, entry.EntityName, entry.JobId), Is.EqualTo((AuditTrail.JobStarted, "Cluster", "cl1-alfa", (Guid?)id)));
            Assert.That(entry.Detail, Is.EqualTo("Assignment of Cluster cl1-alfa to HCS-DEMO started"));
            Assert.That(entry.At, Is.EqualTo(Initiated));
        });
    }

    [Test]
    public async Task A_job_started_inside_a_JobProgressed_as_ClusterAssign_starts_its_jobs_is_one_audit_entry_and_its_later_events_none()
    {
        var id = Guid.NewGuid();
        var actor = $"operator-{Guid.NewGuid():N}"[..20];
        var entity = $"cl-prog-{Guid.NewGuid():N}"[..18];
        var created = Created(id, entity) with { RequestedBy = actor };
        await host.PublishAndWaitAsync(new JobProgressed { JobId = id, Created = created });
        await host.PublishAndWaitAsync(new JobProgressed { JobId = id, Created = created }); // a redelivery
        await host.PublishAndWaitAsync(new JobProgressed { JobId = id, Succeeded = new JobSucceeded { JobId = id, CompletedAt = Initiated.AddSeconds(2) } });

        var job = await host.Api.WaitForJobAsync(id, j => j.Status == "Succeeded");
        var audit = await WaitForAuditAsync($"entity={entity}", page => page.TotalCount >= 1);

        Assert.Multiple(() =>
        {
            Assert.That(job.RequestedBy, Is.EqualTo(actor));
            Assert.That(audit.Items.Select(e => (e.Action, e.Actor, e.JobId)), Is.EqualTo(new[] { (AuditTrail.JobStarted, actor, (Guid?)id) }));
        });
    }

    [Test]
    public async Task A_restart_and_a_cancel_over_HTTP_name_the_tokens_caller_in_the_job_and_the_audit()
    {
        var entity = $"cl-audit-{Guid.NewGuid():N}"[..20];
        var failedJob = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(failedJob, entity) with { RequestedBy = "someone" });
        await host.PublishAndWaitAsync(Failed(failedJob, LicenseModeChange));
        await host.Api.WaitForJobAsync(failedJob, j => j.Status == "Failed");
        var runningJob = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(runningJob, entity, Initiated.AddMinutes(1)) with { IsCancelable = true, RequestedBy = "someone" });

        using (var restart = await host.Api.PostAsync(failedJob, "restart"))
        using (var cancel = await host.Api.PostAsync(runningJob, "cancel"))
        {
            Assert.That((restart.StatusCode, cancel.StatusCode), Is.EqualTo((HttpStatusCode.Accepted, HttpStatusCode.Accepted)));
        }

        var restarted = await host.Api.WaitForJobAsync(failedJob, j => j.Attempt == 2);
        var canceling = await host.Api.WaitForJobAsync(runningJob, j => j.CancelRequested);
        var audit = await WaitForAuditAsync($"entity={entity}", page => page.TotalCount >= 4);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.RestartedBy, Is.EqualTo(TestIssuer.ClientId), "the token's subject");
            Assert.That(restarted.RequestedBy, Is.EqualTo("someone"), "who started it stays");
            Assert.That(canceling.CancelRequestedBy, Is.EqualTo(TestIssuer.ClientId));
            Assert.That(audit.Items.Select(e => (e.Action, e.Actor, e.JobId)), Is.EquivalentTo(new[]
            {
                (AuditTrail.JobStarted, "someone", (Guid?)failedJob),
                (AuditTrail.JobStarted, "someone", (Guid?)runningJob),
                (AuditTrailConsumer.JobRestarted, TestIssuer.ClientId, (Guid?)failedJob),
                (AuditTrailConsumer.JobCancelAsked, TestIssuer.ClientId, (Guid?)runningJob),
            }));
            Assert.That(audit.Items.Single(e => e.Action == AuditTrailConsumer.JobRestarted).Detail, Does.StartWith("attempt 2 from License Mode Change"));
            Assert.That(audit.Items.Take(2).Select(e => e.Action), Is.SupersetOf(new[] { AuditTrailConsumer.JobRestarted, AuditTrailConsumer.JobCancelAsked }), "newest first");
        });
    }

    [Test]
    public async Task Configuration_changes_are_listed_newest_first_and_filtered_by_actor_entity_and_time()
    {
        var admin = $"admin-{Guid.NewGuid():N}"[..18];
        var cluster = $"cl-cfg-{Guid.NewGuid():N}"[..18];
        var at = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        // Only the audit trail's queue takes ConfigurationChanged: its entries are polled for.
        await host.PublishAllAsync(new[]
        {
            Change(cluster, "Cluster added: CUCM 12.5, publisher 10.0.0.1", admin, at),
            Change(cluster, "Cluster changed: CUCM 14.0, publisher 10.0.0.1; credentials kept", admin, at.AddHours(1)),
            Change(cluster, "Cluster removed from the inventory", "another-admin", at.AddHours(2)),
        });

        await WaitForAuditAsync($"entity={cluster}", page => page.TotalCount == 3);
        var byActor = await ListAsync($"actor={admin.ToUpperInvariant()}");
        var byEntity = await ListAsync($"entity={cluster[3..]}");
        var window = await ListAsync($"entity={cluster}&from={Uri.EscapeDataString(at.AddMinutes(30).ToString("O"))}&to={Uri.EscapeDataString(at.AddHours(2).ToString("O"))}");
        var paged = await ListAsync($"entity={cluster}&pageSize=1&page=3");

        Assert.Multiple(() =>
        {
            Assert.That(byActor.Items.Select(e => e.Detail), Is.EqualTo(new[]
            {
                "Cluster changed: CUCM 14.0, publisher 10.0.0.1; credentials kept",
                "Cluster added: CUCM 12.5, publisher 10.0.0.1",
            }));
            Assert.That(byActor.Items.Select(e => (e.Action, e.Service, e.EntityType, e.EntityName)).Distinct(),
                Is.EqualTo(new[] { (AuditTrailConsumer.ConfigurationChange, (string?)"Chpa", "Cluster", cluster) }));
            Assert.That(byEntity.Items.Select(e => e.At), Is.EqualTo(new[] { at.AddHours(2), at.AddHours(1), at }), "part of the name, newest first");
            Assert.That(window.Items.Select(e => e.At), Is.EqualTo(new[] { at.AddHours(1) }), "from inclusive, to exclusive");
            Assert.That((paged.TotalCount, paged.Items.Single().At), Is.EqualTo((3, at)));
        });
    }

    [Test]
    public async Task Bad_filters_are_a_validation_problem_naming_each_field()
    {
        using var response = await host.Api.Http.GetAsync(new Uri("/audit?from=yesterday&pageSize=0", UriKind.Relative));
        var problem = await Jobs.JobsApiTests.ProblemAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "from", "pageSize" }));
            Assert.That((string?)problem["errors"]!["from"]![0], Does.Contain("ISO 8601"));
        });
    }

    private static ConfigurationChanged Change(string cluster, string change, string by, DateTimeOffset at) => new()
    {
        Service = "Chpa",
        EntityType = "Cluster",
        EntityName = cluster,
        Change = change,
        ChangedBy = by,
        ChangedAt = at,
    };

    private async Task<PageDto<AuditEntryDto>> ListAsync(string query)
    {
        using var response = await host.Api.Http.GetAsync(new Uri($"/audit?{query}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PageDto<AuditEntryDto>>(JobsApiClient.Json))!;
    }

    /// <summary>The audit consumer has its own queue: its entry may land just after the saga's.</summary>
    private async Task<PageDto<AuditEntryDto>> WaitForAuditAsync(string query, Func<PageDto<AuditEntryDto>, bool> done, string? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await ListAsync(query);
            if (done(page) || (until is not null && (await ListAsync(until)).TotalCount > 0) || DateTime.UtcNow > deadline)
            {
                return until is null ? page : await ListAsync(query);
            }

            await Task.Delay(50);
        }
    }
}
