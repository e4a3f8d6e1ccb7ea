using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HcsLicensing.Contracts.Jobs;
using static HcsLicensing.JobTracker.Tests.Jobs.JobEvents;

namespace HcsLicensing.JobTracker.Tests.Jobs;

/// <summary>GET /jobs and GET /jobs/{id} of the running service: JobDTO's shape, filters, paging, problem details.</summary>
public class JobsApiTests
{
    private JobTrackerHost host = null!;

    [OneTimeSetUp]
    public async Task StartService() => host = await JobTrackerHost.GetAsync();

    [Test]
    public async Task A_job_reads_as_camelCase_JobDTO()
    {
        var id = Guid.NewGuid();
        await host.PublishAndWaitAsync(Created(id));
        await host.PublishAndWaitAsync(Step(id, Verification, JobStepStatus.Inprogress, "checking"));

        var json = JsonNode.Parse(await host.Api.Http.GetStringAsync(new Uri($"/jobs/{id}", UriKind.Relative)))!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(json.Select(p => p.Key), Is.SupersetOf(new[]
            {
                "jobId", "jobType", "entityType", "entityName", "description", "status", "progressInfo", "statusInformation",
                "errorDescription", "recommendedAction", "isRestartable", "isCancelable", "attempt", "initiatedAt", "completedAt",
            }));
            Assert.That((string?)json["status"], Is.EqualTo("In Progress"));
            Assert.That(json["progressInfo"]![0]!.ToJsonString(), Is.EqualTo("""{"step":"Verification","status":"Inprogress","detail":"checking"}"""));
            Assert.That((string?)json["statusInformation"]![1], Is.EqualTo("License Mode Change - Not Started"));
        });
    }

    [Test]
    public async Task The_list_filters_by_entity_name_and_status_newest_first_in_pages()
    {
        var entity = $"HCS-LIST-{Guid.NewGuid():N}"[..20];
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await host.PublishAndWaitAsync(Created(ids[i], entity, Initiated.AddMinutes(i)));
        }

        await host.PublishAndWaitAsync(Succeeded(ids[1]));
        await host.PublishAndWaitAsync(Succeeded(ids[3]));

        var first = await host.Api.ListAsync($"entityName={entity}&pageSize=2");
        var last = await host.Api.ListAsync($"entityName={entity}&pageSize=2&page=3");
        var succeeded = await host.Api.ListAsync($"entityName={entity}&status=Succeeded");
        var inProgress = await host.Api.ListAsync($"entityName={entity}&status=In%20Progress");
        var byEnumName = await host.Api.ListAsync($"entityName={entity}&status=inprogress");

        Assert.Multiple(() =>
        {
            Assert.That(first.Items.Select(j => j.JobId), Is.EqualTo(new[] { ids[4], ids[3] }));
            Assert.That((first.Page, first.PageSize, first.TotalCount), Is.EqualTo((1, 2, 5)));
            Assert.That(last.Items.Select(j => j.JobId), Is.EqualTo(new[] { ids[0] }));
            Assert.That(succeeded.Items.Select(j => j.JobId), Is.EqualTo(new[] { ids[3], ids[1] }));
            Assert.That(inProgress.Items.Select(j => j.JobId), Is.EqualTo(new[] { ids[4], ids[2], ids[0] }));
            Assert.That(byEnumName.TotalCount, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task An_unknown_job_is_a_404_problem()
    {
        var id = Guid.NewGuid();

        using var response = await host.Api.Http.GetAsync(new Uri($"/jobs/{id}", UriKind.Relative));
        var problem = await ProblemAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)problem["type"], Does.StartWith("https://"));
            Assert.That((string?)problem["title"], Is.EqualTo("Job not found"));
            Assert.That((int?)problem["status"], Is.EqualTo(404));
            Assert.That((string?)problem["detail"], Is.EqualTo($"job {id} not found"));
        });
    }

    [TestCase("/jobs/not-a-guid", "id")]
    [TestCase("/jobs?status=Done", "status")]
    [TestCase("/jobs?status=2", "status")]
    [TestCase("/jobs?page=0", "page")]
    [TestCase("/jobs?page=abc", "page")]
    [TestCase("/jobs?pageSize=101", "pageSize")]
    [TestCase("/jobs?pageSize=0", "pageSize")]
    public async Task A_bad_request_is_a_400_validation_problem_naming_the_field(string url, string field)
    {
        using var response = await host.Api.Http.GetAsync(new Uri(url, UriKind.Relative));
        var problem = await ProblemAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string?)problem["type"], Does.StartWith("https://"));
            Assert.That((string?)problem["title"], Is.Not.Empty);
            Assert.That((int?)problem["status"], Is.EqualTo(400));
            Assert.That(problem["errors"]?.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }));
            Assert.That((string?)problem["errors"]![field]![0], Is.Not.Empty);
        });
    }

    internal static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body)?.AsObject() ?? throw new JsonException($"not a JSON object: {body}");
    }
}
