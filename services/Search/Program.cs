using MS2GAN.Search;
using MS2GAN.ServiceDefaults;
using MS2GAN.ServiceDefaults.Pipeline;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("search");
builder.Services.AddMs2GanStorage(builder.Configuration);
builder.Services.AddMs2GanModel(builder.Configuration);
builder.Services.AddSearchService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapSearchEndpoints();
app.MapWebPage();
app.Run();

