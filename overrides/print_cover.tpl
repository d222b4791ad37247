{#- The PDF's cover (print-site plugin): title, description, and the
    version and build date from hooks/version.py. -#}
<div>
  <h1>{{ config.site_name }}</h1>
</div>
<table>
  {% if config.site_description %}
  <tr><td>Description</td><td>{{ config.site_description }}</td></tr>
  {% endif %}
  <tr><td>Version</td><td class="print-site-version">{{ config.extra.site_version }}</td></tr>
  <tr><td>Built</td><td class="print-site-build-date">{{ config.extra.build_date }}</td></tr>
  {% if config.copyright %}
  <tr><td>Copyright</td><td>{{ config.copyright }}</td></tr>
  {% endif %}
</table>
