using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HcsLicensing.ClusterAssign.LicenseAudit;
using HcsLicensing.Contracts.LicenseAudit;
using HcsLicensing.TestBed;
using HcsLicensing.TestBed.Suite;
using MassTransit;
using static HcsLicensing.ClusterAssign.Tests.LicenseAudit.Auditor;

namespace HcsLicensing.ClusterAssign.Tests.LicenseAudit;

/// <summary>
/// License audits end to end (every service and both simulators as processes): a clean estate has no finding; each kind
/// of drift, made through a simulator's knob, shows as exactly its finding with the evidence of each view; a repair is an
/// ordinary job, and the next audit closes the finding. The first test runs first: it needs the estate clean.
/// </summary>
public class LicenseAuditTests
{
    [Test]
    [Order(1)]
    public async Task A_clean_estate_yields_no_finding_and_the_audit_is_a_job_of_four_phases()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var clusters = suite.TakeClusterNames(2);
        await suite.AddClustersToInventoryAsync(clusters);
        await AssignAsync(suite, clusters[0], account.VirtualAccounts[1]);
        await AssignAsync(suite, clusters[1], account.VirtualAccounts[2]);

        var job = await AuditAsync(suite);
        var findings = await GetAsync(suite, "findings?status=all");
        var run = await GetAsync(suite, $"audits/{job.JobId}");

        Assert.Multiple(() =>
        {
            Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
            Assert.That(job.ProgressInfo.Select(s => (s.Step, s.Status)), Is.EqualTo(new[]
            {
                (LicenseAuditJobEvents.ReadAssignments, "Pass"), (LicenseAuditJobEvents.ReadCssm, "Pass"),
                (LicenseAuditJobEvents.VerifyClusters, "Pass"), (LicenseAuditJobEvents.Compare, "Pass"),
            }));
            Assert.That(job.ProgressInfo[1].Detail, Does.StartWith("2 product instances"));
            Assert.That(findings.GetProperty("totalCount").GetInt32(), Is.Zero, findings.ToString());
            Assert.That(run.GetProperty("status").GetString(), Is.EqualTo("Succeeded"));
            Assert.That(run.GetProperty("clusters").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    [Order(2)]
    public async Task A_second_request_while_an_audit_runs_joins_it()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await AssignAsync(suite, cluster, account.VirtualAccounts[1]);
        // A slow publisher keeps the first audit in Verify clusters for seconds.
        await SetUcKnobsAsync(suite, cluster, new { latencyMs = 3000 });
        try
        {
            var first = await PostAsync(suite, "audits");
            var second = await PostAsync(suite, "audits");
            var job = await suite.WaitForJobAsync(first.GetProperty("jobId").GetGuid(), JobTimeout);
            var third = await PostAsync(suite, "audits");
            await suite.WaitForJobAsync(third.GetProperty("jobId").GetGuid(), JobTimeout);

            Assert.Multiple(() =>
            {
                Assert.That(first.GetProperty("joined").GetBoolean(), Is.False);
                Assert.That(second.GetProperty("joined").GetBoolean(), Is.True, "one audit at a time");
                Assert.That(second.GetProperty("auditId").GetGuid(), Is.EqualTo(first.GetProperty("auditId").GetGuid()));
                Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
                Assert.That(third.GetProperty("joined").GetBoolean(), Is.False, "once it ended, a new one starts");
                Assert.That(third.GetProperty("auditId").GetGuid(), Is.Not.EqualTo(first.GetProperty("auditId").GetGuid()));
            });
        }
        finally
        {
            await SetUcKnobsAsync(suite, cluster, new { });
        }
    }

    [Test]
    public async Task A_product_instance_moved_in_CSSM_is_a_wrong_VA_with_each_views_evidence()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var (assigned, other) = (account.VirtualAccounts[3], account.VirtualAccounts[4]);
        await AssignAsync(suite, cluster, assigned);
        await MoveInCssmAsync(suite, cluster, assigned, other);

        var audit = await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        var evidence = finding.GetProperty("evidence");

        Assert.Multiple(() =>
        {
            Assert.That(audit.Status, Is.EqualTo("Succeeded"), Describe(audit));
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("WrongVirtualAccount"));
            Assert.That(finding.GetProperty("severity").GetString(), Is.EqualTo("Critical"));
            Assert.That(finding.GetProperty("virtualAccount").GetString(), Is.EqualTo(assigned));
            Assert.That(evidence.GetProperty("intended").GetProperty("virtualAccount").GetString(), Is.EqualTo(assigned));
            Assert.That(evidence.GetProperty("cssm").EnumerateArray().Select(i => i.GetProperty("virtualAccount").GetString()), Is.EqualTo(new[] { other }));
            Assert.That(evidence.GetProperty("cluster").GetProperty("registrationState").GetString(), Is.EqualTo("Registered"));
            Assert.That(evidence.GetProperty("cluster").GetProperty("virtualAccount").GetString(), Is.EqualTo(assigned), "the cluster still believes it is in the assigned VA");
            Assert.That(finding.GetProperty("firstAuditId").GetGuid(), Is.EqualTo(audit.JobId));
        });
    }

    [Test]
    public async Task A_wrong_VA_only_CSSM_sees_is_repaired_by_registering_the_cluster_again_and_the_next_audit_closes_it()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var (assigned, other) = (account.VirtualAccounts[3], account.VirtualAccounts[6]);
        await AssignAsync(suite, cluster, assigned);
        await MoveInCssmAsync(suite, cluster, assigned, other);

        await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        var repair = await PostAsync(suite, $"findings/{finding.GetProperty("id").GetGuid()}/repair");
        var repairJob = await suite.WaitForJobAsync(repair.GetProperty("jobId").GetGuid(), JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);
        var second = await AuditAsync(suite);
        var closed = await GetAsync(suite, $"findings/{finding.GetProperty("id").GetGuid()}");
        var inAssigned = await suite.GetProductInstancesAsync(assigned);
        var inOther = await suite.GetProductInstancesAsync(other);

        Assert.Multiple(async () =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("WrongVirtualAccount"));
            Assert.That(finding.GetProperty("repair").GetString(), Does.StartWith($"Register {cluster} again in {assigned}"));
            Assert.That(repair.GetProperty("operation").GetString(), Is.EqualTo("Reassignment"));
            Assert.That(repairJob.Status, Is.EqualTo("Succeeded"), Describe(repairJob));
            Assert.That(repairJob.ProgressInfo.Select(s => (s.Step, s.Status)), Is.EqualTo(new[] { ("Verification", "Pass"), ("Deregistration", "Pass"), ("Registration", "Pass") }),
                "a forced re-registration, not \"already in that VA\"");
            Assert.That(uc!.Registration.VirtualAccount, Is.EqualTo(assigned));
            Assert.That(inAssigned.Count(i => i.ProductInstanceName == cluster), Is.EqualTo(1), "CSSM lists it in the assigned VA again");
            Assert.That(inOther.Any(i => i.ProductInstanceName == cluster), Is.False, "and no longer in the other");
            Assert.That(second.Status, Is.EqualTo("Succeeded"), Describe(second));
            Assert.That(closed.GetProperty("status").GetString(), Is.EqualTo("Closed"));
            Assert.That(await FindingsOfAsync(suite, cluster), Is.Empty);
        });
    }

    [Test]
    public async Task A_smart_account_CSSM_cannot_read_leaves_its_clusters_uncompared_and_the_audit_goes_on_with_the_others()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var secondVas = await ConfigureSecondSmartAccountAsync(suite);
        var clusters = suite.TakeClusterNames(3);
        await suite.AddClustersToInventoryAsync(clusters);
        var (readable, lostEarlier, clean) = (clusters[0], clusters[1], clusters[2]);
        await AssignAsync(suite, readable, account.VirtualAccounts[7]);
        await AssignAsync(suite, lostEarlier, secondVas[0], LicenseAuditSuite.SecondDomain);
        await AssignAsync(suite, clean, secondVas[1], LicenseAuditSuite.SecondDomain);
        await DeregisterAtClusterAsync(suite, lostEarlier);
        var first = await AuditAsync(suite);
        var earlier = (await FindingsOfAsync(suite, lostEarlier)).Single();

        // From now on CSSM refuses every product instance search of the second smart account (403: the API client lost its access).
        await SetCssmFaultsAsync(suite, new { failNext = 1000, failStatus = 403, burstPath = $"/{LicenseAuditSuite.SecondDomain}/devices" });
        SuiteJob second;
        try
        {
            await DeregisterAtClusterAsync(suite, readable);
            second = await AuditAsync(suite);
        }
        finally
        {
            await SetCssmFaultsAsync(suite, new { });
        }

        var stillOpen = await GetAsync(suite, $"findings/{earlier.GetProperty("id").GetGuid()}");
        var found = await FindingsOfAsync(suite, readable);

        Assert.Multiple(async () =>
        {
            Assert.That(earlier.GetProperty("type").GetString(), Is.EqualTo("LostRegistration"), "the first audit read both smart accounts");
            Assert.That(second.Status, Is.EqualTo("Succeeded"), Describe(second));
            Assert.That(second.ProgressInfo[1].Detail, Does.Contain("not read").And.Contain(LicenseAuditSuite.SecondDomain).And.Contain("403"), Describe(second));
            Assert.That(second.ProgressInfo[3].Detail, Does.Contain("2 clusters not compared"), Describe(second));
            Assert.That(found.Select(f => f.GetProperty("type").GetString()), Is.EqualTo(new[] { "LostRegistration" }), "the readable smart account was compared");
            Assert.That(found[0].GetProperty("firstAuditId").GetGuid(), Is.EqualTo(second.JobId));
            Assert.That(await FindingsOfAsync(suite, clean), Is.Empty, "no lost registration for a cluster whose CSSM view is unknown");
            Assert.That(stillOpen.GetProperty("status").GetString(), Is.EqualTo("Open"), "neither closed...");
            Assert.That(stillOpen.GetProperty("lastAuditId").GetGuid(), Is.EqualTo(first.JobId), "...nor refreshed");
        });
    }

    [Test]
    public async Task A_cluster_deregistered_on_itself_is_a_lost_registration_that_a_repair_fixes_and_the_next_audit_closes()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = account.VirtualAccounts[5];
        await AssignAsync(suite, cluster, va);
        await DeregisterAtClusterAsync(suite, cluster);

        await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        var evidence = finding.GetProperty("evidence");
        var repair = await PostAsync(suite, $"findings/{finding.GetProperty("id").GetGuid()}/repair");
        var repairJob = await suite.WaitForJobAsync(repair.GetProperty("jobId").GetGuid(), JobTimeout);
        var uc = await suite.GetUcClusterAsync(cluster);
        var second = await AuditAsync(suite);
        var closed = await GetAsync(suite, $"findings/{finding.GetProperty("id").GetGuid()}");

        Assert.Multiple(async () =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("LostRegistration"));
            Assert.That(evidence.GetProperty("cluster").GetProperty("registrationState").GetString(), Is.EqualTo("Unregistered"));
            Assert.That(evidence.GetProperty("cssm").GetArrayLength(), Is.Zero, "deregistering removed the product instance too");
            Assert.That(finding.GetProperty("repair").GetString(), Does.StartWith("Register"));
            Assert.That(finding.GetProperty("repairJobId").ValueKind, Is.EqualTo(JsonValueKind.Null), "no policy for this type: nothing repaired it by itself");
            Assert.That(repair.GetProperty("operation").GetString(), Is.EqualTo("Assignment"));
            Assert.That(repairJob.Status, Is.EqualTo("Succeeded"), Describe(repairJob));
            Assert.That(uc!.Registration.State, Is.EqualTo("Registered"));
            Assert.That(uc.Registration.VirtualAccount, Is.EqualTo(va));
            Assert.That(second.Status, Is.EqualTo("Succeeded"), Describe(second));
            Assert.That(closed.GetProperty("status").GetString(), Is.EqualTo("Closed"));
            Assert.That(closed.GetProperty("repairJobId").GetGuid(), Is.EqualTo(repairJob.JobId));
            Assert.That(await FindingsOfAsync(suite, cluster), Is.Empty);
        });
    }

    [Test]
    public async Task A_bulk_repair_starts_a_job_per_finding_and_names_those_it_cannot_repair()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var clusters = suite.TakeClusterNames(3);
        await suite.AddClustersToInventoryAsync(clusters);
        var (va, other) = (account.VirtualAccounts[4], account.VirtualAccounts[5]);
        foreach (var cluster in clusters)
        {
            await AssignAsync(suite, cluster, va);
        }

        await DeregisterAtClusterAsync(suite, clusters[0]);
        await DeregisterAtClusterAsync(suite, clusters[1]);
        await AddToCssmAsync(suite, clusters[2], other);
        await AuditAsync(suite);
        var lost = new[] { (await FindingsOfAsync(suite, clusters[0])).Single(), (await FindingsOfAsync(suite, clusters[1])).Single() };
        var duplicate = (await FindingsOfAsync(suite, clusters[2])).Single();
        var unknown = Guid.NewGuid();

        var bulk = await PostAsync(suite, "findings/repair", new { findingIds = lost.Select(f => f.GetProperty("id").GetGuid()).Append(duplicate.GetProperty("id").GetGuid()).Append(unknown) });
        var jobs = bulk.GetProperty("jobs").EnumerateArray().ToList();
        var done = await Task.WhenAll(jobs.Select(j => suite.WaitForJobAsync(j.GetProperty("jobId").GetGuid(), JobTimeout)));
        var refused = bulk.GetProperty("refused").EnumerateArray().ToDictionary(r => r.GetProperty("findingId").GetGuid(), r => r.GetProperty("status").GetInt32());
        await AuditAsync(suite);

        Assert.Multiple(async () =>
        {
            Assert.That(jobs.Select(j => j.GetProperty("findingId").GetGuid()), Is.EquivalentTo(lost.Select(f => f.GetProperty("id").GetGuid())));
            Assert.That(done.Select(j => j.Status), Is.All.EqualTo("Succeeded"), string.Join("; ", done.Select(Describe)));
            Assert.That(refused, Is.EquivalentTo(new Dictionary<Guid, int> { [duplicate.GetProperty("id").GetGuid()] = 422, [unknown] = 404 }));
            Assert.That(await FindingsOfAsync(suite, clusters[0]), Is.Empty, "repaired, closed by the next audit");
            Assert.That(await FindingsOfAsync(suite, clusters[1]), Is.Empty);
        });
    }

    [Test]
    public async Task A_cluster_registered_out_of_band_is_found_and_adopted_by_the_policys_repair_without_an_operator()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = account.VirtualAccounts[6];
        await AddToCssmAsync(suite, cluster, va);

        var audit = await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        var evidence = finding.GetProperty("evidence");
        var repairJob = await suite.WaitForJobAsync(finding.GetProperty("repairJobId").GetGuid(), JobTimeout);
        var again = await PostAsync(suite, $"findings/{finding.GetProperty("id").GetGuid()}/repair");
        await AuditAsync(suite);
        using var summaryClient = suite.CreateClient(SuiteService.ClusterAssign);
        var summary = await summaryClient.GetFromJsonAsync<JsonElement>(new Uri($"clusters/{cluster}", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("RegisteredOutOfBand"));
            Assert.That(finding.GetProperty("severity").GetString(), Is.EqualTo("Warning"));
            Assert.That(finding.GetProperty("virtualAccount").GetString(), Is.EqualTo(va));
            Assert.That(finding.GetProperty("firstAuditId").GetGuid(), Is.EqualTo(audit.JobId));
            Assert.That(evidence.GetProperty("intended").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(evidence.GetProperty("cssm")[0].GetProperty("virtualAccount").GetString(), Is.EqualTo(va));
            Assert.That(repairJob.Status, Is.EqualTo("Succeeded"), Describe(repairJob));
            Assert.That(again.GetProperty("jobId").GetGuid(), Is.EqualTo(repairJob.JobId), "an operator's repair of the same finding and audit finds the policy's job");
            Assert.That(summary.GetProperty("virtualAccount").GetString(), Is.EqualTo(va), "adopted: assigned to the VA CSSM lists it in");
            Assert.That(await FindingsOfAsync(suite, cluster), Is.Empty, "closed by the next audit");
        });
    }

    [Test]
    public async Task A_cluster_assigned_while_an_audit_reads_CSSM_is_left_out_not_registered_out_of_band()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);

        // CSSM answers the product instance search 10 s late, and reads its list only then: an assignment made once the
        // audit has read the assignments is registered by the time CSSM lists it.
        await SetCssmFaultsAsync(suite, new { latencyMs = 10000, latencyPath = "/devices" });
        SuiteJob audit;
        try
        {
            var auditId = (await PostAsync(suite, "audits")).GetProperty("jobId").GetGuid();
            await Eventually.Poll(() => suite.GetJobAsync(auditId), job => job?.ProgressInfo.Any(s => s.Step == LicenseAuditJobEvents.ReadCssm) == true, JobTimeout);
            await AssignAsync(suite, cluster, account.VirtualAccounts[5]);
            audit = await suite.WaitForJobAsync(auditId, JobTimeout);
        }
        finally
        {
            await SetCssmFaultsAsync(suite, new { });
        }

        Assert.Multiple(async () =>
        {
            Assert.That(audit.Status, Is.EqualTo("Succeeded"), Describe(audit));
            Assert.That(audit.ProgressInfo[1].Detail, Does.Contain("product instances"), Describe(audit));
            Assert.That(audit.ProgressInfo[3].Detail, Does.Contain("not compared: a job changed them during the audit"), Describe(audit));
            Assert.That(await FindingsOfAsync(suite, cluster, "all"), Is.Empty, "no finding: it was assigned, not registered out of band");
        });
    }

    [Test]
    public async Task A_cluster_listed_twice_in_CSSM_is_a_duplicate_without_a_repair_job()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var (assigned, other) = (account.VirtualAccounts[7], account.VirtualAccounts[8]);
        await AssignAsync(suite, cluster, assigned);
        await AddToCssmAsync(suite, cluster, other);

        await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        using var client = suite.CreateClient(SuiteService.ClusterAssign);
        using var repair = await client.PostAsync(new Uri($"findings/{finding.GetProperty("id").GetGuid()}/repair", UriKind.Relative), null);

        Assert.Multiple(() =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("Duplicate"));
            Assert.That(finding.GetProperty("evidence").GetProperty("cssm").EnumerateArray().Select(i => i.GetProperty("virtualAccount").GetString()), Is.EquivalentTo(new[] { assigned, other }));
            Assert.That(repair.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(repair.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task An_unreachable_cluster_is_a_finding_of_its_own()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await AssignAsync(suite, cluster, account.VirtualAccounts[9]);
        await SetUcKnobsAsync(suite, cluster, new { unreachable = true });
        try
        {
            await AuditAsync(suite);
            var finding = (await FindingsOfAsync(suite, cluster)).Single();

            Assert.Multiple(() =>
            {
                Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("Unreachable"));
                Assert.That(finding.GetProperty("evidence").GetProperty("cluster").GetProperty("responseReason").GetString(), Is.EqualTo("chpaClusterUnreachable"));
            });
        }
        finally
        {
            await SetUcKnobsAsync(suite, cluster, new { unreachable = false });
        }
    }

    [Test]
    public async Task An_expired_authorization_is_a_critical_finding_with_the_clusters_state()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = account.VirtualAccounts[0];
        await AssignAsync(suite, cluster, va);
        using (var client = suite.CreateClient(SuiteService.UcSimulator))
        {
            using var response = await client.PutAsJsonAsync(new Uri($"admin/clusters/{cluster}/authorization", UriKind.Relative), new { state = "AuthorizationExpired" });
            response.EnsureSuccessStatusCode();
        }

        await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("AuthorizationExpired"));
            Assert.That(finding.GetProperty("severity").GetString(), Is.EqualTo("Critical"));
            Assert.That(finding.GetProperty("virtualAccount").GetString(), Is.EqualTo(va));
            Assert.That(finding.GetProperty("evidence").GetProperty("cluster").GetProperty("authorizationState").GetString(), Is.EqualTo("AuthorizationExpired"));
        });
    }

    [Test]
    public async Task A_product_instance_quiet_for_40_days_is_stale()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        var va = account.VirtualAccounts[2];
        await AssignAsync(suite, cluster, va);
        var instance = (await suite.GetProductInstancesAsync(va)).Single(i => i.ProductInstanceName == cluster);
        using (var client = suite.CreateClient(SuiteService.CssmSimulator))
        {
            using var response = await client.PutAsJsonAsync(new Uri($"sim/control/product-instances/{instance.ProductInstanceId}/last-contact", UriKind.Relative), new { daysAgo = 40 });
            response.EnsureSuccessStatusCode();
        }

        await AuditAsync(suite);
        var finding = (await FindingsOfAsync(suite, cluster)).Single();
        var lastContact = finding.GetProperty("evidence").GetProperty("cssm")[0].GetProperty("lastContactAt").GetDateTimeOffset();

        Assert.Multiple(() =>
        {
            Assert.That(finding.GetProperty("type").GetString(), Is.EqualTo("Stale"));
            Assert.That(finding.GetProperty("virtualAccount").GetString(), Is.EqualTo(va));
            Assert.That(lastContact, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(-40)).Within(TimeSpan.FromHours(1)));
        });
    }

    [Test]
    public async Task A_StartLicenseAudit_message_runs_an_audit_that_publishes_its_completion_and_each_new_drift()
    {
        var (suite, account) = await LicenseAuditSuite.GetAsync();
        var cluster = suite.TakeClusterNames(1)[0];
        await suite.AddClustersToInventoryAsync([cluster]);
        await AddToCssmAsync(suite, cluster, account.VirtualAccounts[3]);
        var completed = new TaskCompletionSource<LicenseAuditCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var drifts = new System.Collections.Concurrent.ConcurrentQueue<LicenseDriftDetected>();
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(suite.Servers.RabbitMq.AmqpUri);
            // Enums travel as their names (docs/architecture.md), as another HCS service reads them; the options are process-wide.
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                if (!json.Converters.OfType<System.Text.Json.Serialization.JsonStringEnumConverter>().Any())
                {
                    json.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
                }

                return json;
            });
            rabbit.ReceiveEndpoint($"{suite.EndpointPrefix}other-hcs-service", endpoint =>
            {
                endpoint.Handler<LicenseDriftDetected>(c =>
                {
                    drifts.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<LicenseAuditCompleted>(c =>
                {
                    completed.TrySetResult(c.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{suite.EndpointPrefix}start-license-audit"));
            await endpoint.Send(new StartLicenseAudit { RequestedBy = "sdrui" });
            var done = await completed.Task.WaitAsync(JobTimeout);
            var job = await suite.WaitForJobAsync(done.AuditId, JobTimeout);
            // Each message comes on its own: the completion may be handled before the drift it counts.
            var drift = await Eventually.Poll(() => Task.FromResult(drifts.Where(d => d.ClusterName == cluster).ToList()), d => d.Count > 0, TimeSpan.FromSeconds(20));

            Assert.Multiple(() =>
            {
                Assert.That(job.Status, Is.EqualTo("Succeeded"), Describe(job));
                Assert.That(done.NewFindings, Is.GreaterThanOrEqualTo(1));
                Assert.That(drift.Select(d => (d.Type, d.AuditId, d.VirtualAccount)),
                    Is.EqualTo(new[] { (LicenseFindingType.RegisteredOutOfBand, done.AuditId, account.VirtualAccounts[3]) }), "one drift announced, by the audit that saw it first");
            });
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Test]
    public async Task Bad_filters_are_problems_naming_the_field()
    {
        var (suite, _) = await LicenseAuditSuite.GetAsync();
        using var client = suite.CreateClient(SuiteService.ClusterAssign);

        using var response = await client.GetAsync(new Uri("findings?type=Nonsense&severity=1&status=maybe&pageSize=0", UriKind.Relative));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        using var unknown = await client.GetAsync(new Uri($"findings/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "type", "severity", "status", "pageSize" }));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }
}
