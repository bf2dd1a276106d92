"""Every write in the certification app goes through these modules, one per concept."""
