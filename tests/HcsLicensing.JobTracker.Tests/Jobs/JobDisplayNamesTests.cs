using HcsLicensing.Contracts.Jobs;
using HcsLicensing.JobTracker.Jobs;

namespace HcsLicensing.JobTracker.Tests.Jobs;

public class JobDisplayNamesTests
{
    private static readonly string[] HcmfStepStatuses = ["Not Started", "Inprogress", "Pass", "Fail", "Not Applicable"];

    [TestCase("In Progress", JobStatus.InProgress)]
    [TestCase("in progress", JobStatus.InProgress)]
    [TestCase("INPROGRESS", JobStatus.InProgress)]
    [TestCase("Succeeded", JobStatus.Succeeded)]
    [TestCase("failed", JobStatus.Failed)]
    [TestCase(" Canceled ", JobStatus.Canceled)]
    public void A_status_filter_accepts_display_and_enum_names_in_any_case(string text, JobStatus expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobDisplayNames.TryParseStatus(text, out var status), Is.True);
            Assert.That(status, Is.EqualTo(expected));
        });
    }

    [TestCase("1")]
    [TestCase("Done")]
    [TestCase("")]
    public void A_status_filter_rejects_numbers_and_unknown_words(string text) =>
        Assert.That(JobDisplayNames.TryParseStatus(text, out _), Is.False);

    [Test]
    public void Step_statuses_read_as_on_HCM_F_jobs_page() =>
        Assert.That(Enum.GetValues<JobStepStatus>().Select(JobDisplayNames.Of), Is.EqualTo(HcmfStepStatuses));
}
