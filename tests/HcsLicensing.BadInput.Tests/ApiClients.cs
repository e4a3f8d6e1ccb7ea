using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.BadInput.Tests;

/// <summary>
/// The one place this project's tests get an HttpClient for a service: whatever every call needs (a bearer token once
/// the APIs are authenticated) is added here and nowhere else.
/// </summary>
public static class ApiClients
{
    public static HttpClient For(HcsSuite suite, SuiteService service) => suite.CreateClient(service, TimeSpan.FromSeconds(30));
}
