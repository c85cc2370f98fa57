import { stopContainers } from './containers-setup';

export default stopContainers;
