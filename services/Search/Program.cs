using MS2GAN.Search;
using MS2GAN.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("search");
builder.AddSearchService();

var app = builder.Build();
app.MapServiceDefaults();
app.MapSearchEndpoints();
app.Run();
