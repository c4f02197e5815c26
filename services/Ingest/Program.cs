using MS2GAN.Ingest;
using MS2GAN.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingest");
builder.AddIngestService();
builder.Services.AddMs2GanMessaging(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.MapIngestEndpoints();
app.Run();
