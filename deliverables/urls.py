app_name = "deliverables"

urlpatterns: list = []
