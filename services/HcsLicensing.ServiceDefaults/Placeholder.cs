namespace HcsLicensing.ServiceDefaults; internal static class Placeholder;
