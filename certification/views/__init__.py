"""Pages of the certification workflow, one module per concept.

Every queryset starts from `visible_to(request.user)`; an object outside it is a 404.
"""
