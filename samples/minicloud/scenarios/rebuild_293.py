# Rebuild a volume-backed server at compute 2.93 (Debian 12's novaclient stops at 2.92),
# with keystoneauth1's debug log on stderr as `openstack --debug` prints it.
import logging, os, sys, time
from keystoneauth1 import session
from keystoneauth1.identity import v3
logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format='%(message)s')
server_name, image_name = sys.argv[1], sys.argv[2]
auth = v3.Password(auth_url=os.environ['OS_AUTH_URL'], username=os.environ['OS_USERNAME'],
                   password=os.environ['OS_PASSWORD'], project_name=os.environ['OS_PROJECT_NAME'],
                   user_domain_name='Default', project_domain_name='Default')
sess = session.Session(auth=auth)
compute = {'service_type': 'compute'}
mv = {'OpenStack-API-Version': 'compute 2.93'}
servers = sess.get('/servers?name=%s' % server_name, endpoint_filter=compute, headers=mv).json()['servers']
sid = servers[0]['id']
sess.get('/servers/%s' % sid, endpoint_filter=compute, headers=mv)
images = sess.get('/v2/images?name=%s' % image_name, endpoint_filter={'service_type': 'image'}).json()['images']
sess.post('/servers/%s/action' % sid, endpoint_filter=compute, headers=mv,
          json={'rebuild': {'imageRef': images[0]['id']}})
for _ in range(60):
    st = sess.get('/servers/%s' % sid, endpoint_filter=compute, headers=mv).json()['server']['status']
    if st in ('ACTIVE', 'ERROR'):
        break
    time.sleep(2)
print('status', st)
