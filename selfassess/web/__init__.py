"""Web plumbing every blueprint shares: templating, security headers, request cleaning, who may
see what, navigation and error pages."""
