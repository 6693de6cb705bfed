app_name = "advisory"
urlpatterns: list = []
