using HcsLicensing.Contracts.ClusterAssignments;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>ClusterAssignmentResp as HTTP: PASS is 202 with the job's location; FAIL a problem (RFC 9457) with the reason.</summary>
public static class ClusterAnswers
{
    public static IResult ToResult(ClusterAssignmentResp answer, JobLinks links)
    {
        if (answer.ResponseCode == SmartLicResponseCode.PASS)
        {
            var url = links.For(answer.JobId!.Value);
            return TypedResults.Accepted(url, new OperationAccepted(answer.JobId.Value, url, answer.ClusterName, answer.Operation.ToString(),
                answer.RequestId, Verified: true, answer.Duplicate, answer.ResponseDescription));
        }

        var (status, title) = answer.ResponseReason switch
        {
            SmartLicResponseReason.SmartLicInvalidRequest => (StatusCodes.Status400BadRequest, "The request is invalid"),
            SmartLicResponseReason.SmartLicUnknownCluster => (StatusCodes.Status404NotFound, "The cluster is not in CHPA's inventory"),
            SmartLicResponseReason.SmartLicOperationInProgress => (StatusCodes.Status409Conflict, "Another operation is running on the cluster"),
            SmartLicResponseReason.SmartLicAssignedElsewhere => (StatusCodes.Status409Conflict, "The cluster is in another virtual account"),
            SmartLicResponseReason.SmartLicClusterUnreachable or SmartLicResponseReason.SmartLicCssmUnavailable or SmartLicResponseReason.SmartLicTimedOut
                => (StatusCodes.Status502BadGateway, "Verification could not reach what it checks"),
            _ => (StatusCodes.Status422UnprocessableEntity, "Verification refused the operation"),
        };
        var extensions = new Dictionary<string, object?>
        {
            ["reason"] = answer.ResponseReason.ToString(),
            ["recommendedAction"] = answer.RecommendedAction,
            ["clusterName"] = answer.ClusterName,
            ["requestId"] = answer.RequestId,
        };
        if (answer.JobId is { } job)
        {
            extensions["jobId"] = job;
            extensions["jobUrl"] = links.For(job);
        }

        if (answer.RunningJobId is { } running)
        {
            extensions["runningJobId"] = running;
            extensions["runningJobUrl"] = links.For(running);
        }

        return TypedResults.Problem(answer.ResponseDescription, statusCode: status, title: title, extensions: extensions);
    }
}
