"""Browser views: thin functions over projects.selectors/services, one module per page."""
